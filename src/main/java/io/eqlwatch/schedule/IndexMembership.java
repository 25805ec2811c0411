package io.eqlwatch.schedule;

import io.eqlwatch.source.FieldTypeLookup;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rules' index patterns an event's index belongs to, for a read over several rules' indices
 * at once: an index belongs to a pattern when the pattern matches its own name, one of its aliases
 * or its data stream, as Elasticsearch would resolve the pattern. The names come from one resolve
 * request for all the patterns; an index first met later (a data stream rolled over during the
 * read) is resolved on its own when its first event arrives, so no event is lost to a stale list.
 */
final class IndexMembership {

    private final FieldTypeLookup cluster;
    private final Map<String, Set<String>> namesByIndex = new HashMap<>();

    IndexMembership(FieldTypeLookup cluster, Collection<String> patterns) {
        this.cluster = cluster;
        cluster.namesByIndex(patterns).forEach((index, names) -> namesByIndex.put(index, withOwn(index, names)));
    }

    /** The concrete indices the patterns resolved to when this was made. */
    Set<String> known() {
        return Set.copyOf(namesByIndex.keySet());
    }

    /** Whether an event of {@code index} is among those a read of {@code patterns} returns. */
    boolean belongs(String index, List<String> patterns) {
        Set<String> names = namesByIndex.computeIfAbsent(index, this::resolve);
        for (String pattern : patterns) {
            for (String name : names) {
                if (matches(pattern, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Set<String> resolve(String index) {
        Set<String> names = cluster.namesByIndex(List.of(index)).get(index);
        return withOwn(index, names == null ? Set.of() : names);
    }

    private static Set<String> withOwn(String index, Set<String> others) {
        Set<String> all = new LinkedHashSet<>();
        all.add(index);
        all.addAll(others);
        return all;
    }

    /** Whether {@code name} matches an index pattern, where {@code *} stands for any run of characters. */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
