package io.eqlwatch.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.tuning.ExceptionItem;
import io.eqlwatch.tuning.ExceptionItemJson;
import io.eqlwatch.tuning.ExceptionItemReader;
import io.eqlwatch.tuning.ValueList;
import io.eqlwatch.tuning.ValueListType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The shared tuning files next to the rules, which rules reference by id:
 * <ul>
 *   <li>{@code lists/<type>/<id>.txt}: value lists, one value a line, {@code <type>} one of
 *       {@code keyword}, {@code ip}, {@code ip_range}, {@code text};</li>
 *   <li>{@code exceptions/*.yml}: shared exception lists ({@code list_id}, {@code name},
 *       {@code description}, {@code items}), as Kibana's Shared exception lists page holds them.</li>
 * </ul>
 * Every problem is reported with file, line and column; a list with a problem is not used, and a
 * rule that references it then fails to load, naming it.
 */
public final class TuningFiles {

    public static final String LISTS_FOLDER = "lists";
    public static final String EXCEPTIONS_FOLDER = "exceptions";

    static final TuningFiles NONE = new TuningFiles(null, Map.of(), Map.of(), List.of());

    private static final Set<String> LIST_KEYS = Set.of(
            "list_id",
            "name",
            "description",
            "type",
            "namespace_type",
            "os_types",
            "tags",
            "items",
            "id",
            "version",
            "immutable",
            "meta");

    private final Path root;
    private final Map<String, ValueList> valueLists;
    private final Map<String, SharedList> exceptionLists;
    private final List<RuleProblem> problems;

    /** A shared exception list: its Kibana header and its items. */
    public record SharedList(
            String listId,
            String name,
            String description,
            String type,
            String namespaceType,
            List<String> osTypes,
            List<ExceptionItem> items,
            Path file) {
        public SharedList {
            items = List.copyOf(items);
            osTypes = List.copyOf(osTypes);
        }

        /** The list as Kibana's export writes it: the {@code exception_list} object, then one line per item. */
        public List<ObjectNode> toKibanaExport() {
            List<ObjectNode> out = new ArrayList<>();
            ObjectNode header = JsonNodeFactory.instance.objectNode();
            header.put("list_id", listId)
                    .put("name", name)
                    .put("description", description)
                    .put("type", type)
                    .put("namespace_type", namespaceType);
            ArrayNode os = header.putArray("os_types");
            osTypes.forEach(os::add);
            out.add(header);
            for (ExceptionItem item : items) {
                out.add(ExceptionItemJson.toJson(item, namespaceType));
            }
            return out;
        }
    }

    private TuningFiles(
            Path root,
            Map<String, ValueList> valueLists,
            Map<String, SharedList> exceptionLists,
            List<RuleProblem> problems) {
        this.root = root;
        this.valueLists = Map.copyOf(valueLists);
        this.exceptionLists = Map.copyOf(exceptionLists);
        this.problems = List.copyOf(problems);
    }

    /** Whether a path below a rules folder is a tuning file rather than a rule. */
    static boolean isTuningPath(Path rulesFolder, Path file) {
        Path relative = rulesFolder.relativize(file);
        String first = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
        return first.equals(LISTS_FOLDER) || first.equals(EXCEPTIONS_FOLDER);
    }

    /** The tuning files of a rules folder (none when it has no {@code lists/} or {@code exceptions/}). */
    public static TuningFiles load(Path rulesFolder) {
        Map<String, ValueList> lists = new HashMap<>();
        List<RuleProblem> problems = new ArrayList<>();
        Path listsFolder = rulesFolder.resolve(LISTS_FOLDER);
        if (Files.isDirectory(listsFolder)) {
            for (Path file : files(listsFolder, problems)) {
                readValueList(listsFolder, file, lists, problems);
            }
        }
        Map<String, SharedList> shared = new HashMap<>();
        Path exceptionsFolder = rulesFolder.resolve(EXCEPTIONS_FOLDER);
        if (Files.isDirectory(exceptionsFolder)) {
            ExceptionItemReader.ValueLists finder = lists::get;
            for (Path file : files(exceptionsFolder, problems)) {
                if (RuleLoader.isRuleFile(file)) {
                    readSharedList(file, finder, shared, problems);
                }
            }
        }
        return new TuningFiles(rulesFolder, lists, shared, problems);
    }

    /**
     * The tuning files for a rule file loaded on its own: those of the nearest folder above it
     * that has a {@code lists/} or {@code exceptions/} folder.
     */
    static TuningFiles near(Path ruleFile) {
        if (ruleFile == null) {
            return NONE;
        }
        for (Path dir = ruleFile.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(LISTS_FOLDER)) || Files.isDirectory(dir.resolve(EXCEPTIONS_FOLDER))) {
                return load(dir);
            }
        }
        return NONE;
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    public ValueList valueList(String id) {
        return valueLists.get(id);
    }

    public SharedList exceptionList(String listId) {
        return exceptionLists.get(listId);
    }

    public Map<String, ValueList> valueLists() {
        return valueLists;
    }

    public Map<String, SharedList> exceptionLists() {
        return exceptionLists;
    }

    /** Where the tuning files live; {@code null} when there are none. */
    public Path root() {
        return root;
    }

    private static List<Path> files(Path folder, List<RuleProblem> problems) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new RuleProblem(folder, 0, 0, "cannot list folder: " + e.getMessage()));
            return List.of();
        }
    }

    private static void readValueList(
            Path listsFolder, Path file, Map<String, ValueList> lists, List<RuleProblem> problems) {
        Path relative = listsFolder.relativize(file);
        String name = file.getFileName().toString();
        ValueListType type = relative.getNameCount() == 2
                ? ValueListType.parse(relative.getName(0).toString())
                : null;
        if (type == null || !name.endsWith(".txt")) {
            problems.add(new RuleProblem(
                    file,
                    0,
                    0,
                    "a value list lives at lists/<type>/<id>.txt, <type> one of" + " keyword, ip, ip_range, text"));
            return;
        }
        String id = name.substring(0, name.length() - ".txt".length());
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new RuleProblem(file, 0, 0, "cannot read: " + e.getMessage()));
            return;
        }
        int before = problems.size();
        ValueList list = ValueList.parse(
                id, type, lines, (line, message) -> problems.add(new RuleProblem(file, line, 1, message)));
        if (lists.containsKey(id)) {
            problems.add(new RuleProblem(file, 0, 0, "value list id '" + id + "' is used by two files"));
        } else if (problems.size() == before) {
            lists.put(id, list);
        }
    }

    private static void readSharedList(
            Path file,
            ExceptionItemReader.ValueLists finder,
            Map<String, SharedList> shared,
            List<RuleProblem> problems) {
        PositionedYaml yaml;
        try {
            yaml = PositionedYaml.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            problems.add(new RuleProblem(
                    file,
                    at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(),
                    "invalid YAML: "
                            + e.getOriginalMessage().lines().findFirst().orElse("")));
            return;
        } catch (IOException e) {
            problems.add(new RuleProblem(file, 0, 0, "cannot read: " + e.getMessage()));
            return;
        }
        JsonNode root = yaml.root();
        int before = problems.size();
        ExceptionItemReader.Problems report = (path, message) -> {
            PositionedYaml.Position at = yaml.valuePosition(path);
            problems.add(new RuleProblem(file, at.line(), at.column(), message));
        };
        if (!root.isObject()) {
            problems.add(
                    new RuleProblem(file, 1, 1, "a shared exception list is a mapping with list_id, name and items"));
            return;
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!LIST_KEYS.contains(key)) {
                PositionedYaml.Position at = yaml.keyPosition(key);
                problems.add(new RuleProblem(
                        file, at.line(), at.column(), "unknown key '" + key + "' in an exception list"));
            }
        }
        String listId = root.path("list_id").asText(null);
        if (listId == null || listId.isBlank()) {
            problems.add(new RuleProblem(file, 1, 1, "a shared exception list needs a list_id"));
            return;
        }
        List<ExceptionItem> items = new ExceptionItemReader(report, finder).items(root.get("items"), "items", listId);
        if (shared.containsKey(listId)) {
            report.report(
                    "list_id",
                    "exception list '" + listId + "' is also defined in "
                            + shared.get(listId).file());
        }
        if (problems.size() == before) {
            List<String> osTypes = new ArrayList<>();
            root.path("os_types").forEach(os -> osTypes.add(os.asText()));
            shared.put(
                    listId,
                    new SharedList(
                            listId,
                            root.path("name").asText(listId),
                            root.path("description").asText(""),
                            root.path("type").asText("detection"),
                            root.path("namespace_type").asText("single"),
                            osTypes,
                            items,
                            file));
        }
    }
}
