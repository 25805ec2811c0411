package io.eqlwatch.schedule;

import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.source.FieldTypeLookup;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mappings of a batch of rules, asked of the cluster once per distinct list of index patterns
 * (with the mapping details of every field any of those rules reads) and once per pattern for
 * whether it matches anything, instead of once per rule. A failed lookup is remembered as well, so
 * a refusing cluster fails each rule of the batch without each one retrying the same call.
 *
 * <p>A rule gets the details of more fields than it reads; the engine looks details up only for
 * the fields it reads, so its plan is the one it would have alone.
 */
final class BatchMappings implements FieldTypeLookup {

    private final FieldTypeLookup cluster;
    private final Map<List<String>, Set<String>> fieldsByIndices = new HashMap<>();
    private final Map<List<String>, Lookup<FieldTypes>> types = new HashMap<>();
    private final Map<String, Lookup<Boolean>> matchesNothing = new HashMap<>();
    /** The fields read over each list of patterns that match something; made on first use. */
    private Map<List<String>, Set<String>> fieldsByReach;

    private final Set<String> patterns = new TreeSet<>();
    private Lookup<Map<String, Set<String>>> names;
    /** Whether the cluster lookup lists index names: an empty list then means that nothing matches. */
    private final boolean listsNames;
    /**
     * Whether every pattern is a name or a {@code *} pattern: an exclusion ({@code -name}) or a remote
     * cluster in one rule's list would change what the others' patterns resolve to in one request, and
     * date math ({@code <logs-{now/d}>}) is not a pattern a name can be matched against.
     */
    private final boolean plainPatterns;

    private record Lookup<T>(T value, RuntimeException failure) {
        T get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    BatchMappings(FieldTypeLookup cluster, Collection<Rule> rules) {
        this.cluster = cluster;
        this.listsNames = cluster.listsIndexNames();
        for (Rule rule : rules) {
            fieldsByIndices
                    .computeIfAbsent(rule.index(), k -> new TreeSet<>())
                    .addAll(RuleCompiler.fieldsLookedUp(rule));
            patterns.addAll(rule.index());
        }
        this.plainPatterns = patterns.stream()
                .noneMatch(
                        p -> p.isBlank() || p.startsWith("-") || p.contains(":") || p.contains(",") || p.contains("<"));
    }

    @Override
    public FieldTypes read(List<String> indices) {
        return cluster.read(indices);
    }

    @Override
    public synchronized FieldTypes forFields(List<String> indices, Collection<String> fieldsRead) {
        Set<String> batchFields = fieldsByIndices.get(indices);
        if (batchFields == null || !batchFields.containsAll(fieldsRead)) {
            return cluster.forFields(indices, fieldsRead);
        }
        List<String> reaching = reaching(indices);
        if (reaching != null && reaching.isEmpty()) {
            // What the cluster answers for indices that do not exist: no field mapped anywhere.
            return new FieldTypes(Map.of());
        }
        List<String> key = reaching == null ? List.copyOf(indices) : reaching;
        Set<String> fields = reaching == null ? batchFields : fieldsOfRulesReaching(key);
        return types.computeIfAbsent(key, k -> {
                    try {
                        return new Lookup<>(cluster.forFields(k, new LinkedHashSet<>(fields)), null);
                    } catch (RuntimeException e) {
                        return new Lookup<>(null, e);
                    }
                })
                .get();
    }

    /**
     * The patterns of the list that match something, sorted: the mappings of a list are those of these
     * patterns alone, so lists that differ only in patterns matching nothing (most of a rule set's, on a
     * cluster that holds a few of the sources rules are written for) share one lookup. {@code null}
     * when the names the patterns reach are not known.
     */
    private List<String> reaching(List<String> indices) {
        Set<String> reached = allNames(indices);
        if (reached == null) {
            return null;
        }
        return indices.stream()
                .filter(p -> reached.stream().anyMatch(name -> IndexMembership.matches(p, name)))
                .sorted()
                .distinct()
                .toList();
    }

    /** Every field read by a rule of the batch whose patterns that match something are {@code key}. */
    private Set<String> fieldsOfRulesReaching(List<String> key) {
        if (fieldsByReach == null) {
            fieldsByReach = new HashMap<>();
            fieldsByIndices.forEach((list, fields) -> fieldsByReach
                    .computeIfAbsent(reaching(list), k -> new TreeSet<>())
                    .addAll(fields));
        }
        return fieldsByReach.get(key);
    }

    /**
     * The indices, aliases and data streams of every pattern of the batch, resolved in one request;
     * a request beyond the batch's patterns goes to the cluster.
     */
    @Override
    public synchronized Map<String, Set<String>> namesByIndex(Collection<String> indices) {
        if (!plainPatterns || !patterns.containsAll(indices)) {
            return cluster.namesByIndex(indices);
        }
        if (names == null) {
            try {
                names = new Lookup<>(cluster.namesByIndex(patterns), null);
            } catch (RuntimeException e) {
                names = new Lookup<>(null, e);
            }
        }
        return names.get();
    }

    /**
     * Which patterns match nothing, told from the names of everything the batch's patterns reach
     * (one request), as Elasticsearch would tell for each pattern on its own: a pattern matches
     * something when an index, alias or data stream of that list bears a name it matches. A lookup
     * that cannot list names is asked pattern by pattern.
     */
    @Override
    public synchronized List<String> matchingNothing(List<String> indices) {
        Set<String> reached = allNames(indices);
        return indices.stream()
                .filter(pattern -> matchesNothing
                        .computeIfAbsent(pattern, p -> {
                            try {
                                return new Lookup<>(
                                        reached != null
                                                ? reached.stream().noneMatch(name -> IndexMembership.matches(p, name))
                                                : !cluster.matchingNothing(List.of(p))
                                                        .isEmpty(),
                                        null);
                            } catch (RuntimeException e) {
                                return new Lookup<>(null, e);
                            }
                        })
                        .get())
                .toList();
    }

    /** Every name the batch's patterns reach; {@code null} when the lookup cannot list them (a test's fixed types). */
    private Set<String> allNames(List<String> indices) {
        Map<String, Set<String>> byIndex;
        try {
            byIndex = namesByIndex(indices);
        } catch (RuntimeException e) {
            return null;
        }
        if (!plainPatterns || byIndex.isEmpty() && !listsNames) {
            return null;
        }
        Set<String> all = new TreeSet<>(byIndex.keySet());
        byIndex.values().forEach(all::addAll);
        return all;
    }
}
