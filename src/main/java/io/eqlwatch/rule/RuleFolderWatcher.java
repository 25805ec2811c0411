package io.eqlwatch.rule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices edits to the rules folder and hands the new rule set on. A file that stops validating is
 * reported, and the last good version of its rule keeps running, so a typo in an edit never turns
 * a detection off. Polls file times and sizes rather than using a WatchService, which misses
 * changes on the bind mounts and network file systems rules often live on.
 */
public final class RuleFolderWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RuleFolderWatcher.class);

    private final Path folder;
    private final RuleLoader loader;
    private final Consumer<List<Rule>> onChange;
    private final Map<Path, Rule> lastGood = new HashMap<>();
    private Map<Path, String> fingerprint = Map.of();
    private Set<String> reportedProblems = Set.of();

    public RuleFolderWatcher(Path folder, RuleLoader loader, Consumer<List<Rule>> onChange) {
        this.folder = folder;
        this.loader = loader;
        this.onChange = onChange;
    }

    /** Seeds the watcher with the rules the daemon started with, so that unchanged files stay quiet. */
    public void start(List<Rule> initial) {
        initial.forEach(rule -> lastGood.put(rule.source(), rule));
        fingerprint = fingerprint();
    }

    /** Checks the folder once; calls the listener when the effective rule set changed. */
    public synchronized void poll() {
        Map<Path, String> now = fingerprint();
        if (now.equals(fingerprint)) {
            return;
        }
        fingerprint = now;
        RuleSet set = loader.load(folder);
        Set<Path> broken = new HashSet<>();
        Set<String> problems = new HashSet<>();
        for (RuleProblem problem : set.problems()) {
            problems.add(problem.toString());
            if (!reportedProblems.contains(problem.toString())) {
                boolean keeps = problem.file() != null && lastGood.containsKey(problem.file());
                LOG.error(
                        "rule file problem: {}{}",
                        problem,
                        keeps ? " — the previous version of this rule keeps running" : "");
            }
            broken.add(problem.file());
        }
        reportedProblems = problems;
        Map<Path, Rule> effective = new TreeMap<>();
        for (Rule rule : set.rules()) {
            effective.put(rule.source(), rule);
        }
        for (Path file : broken) {
            Rule previous = lastGood.get(file);
            if (previous != null && Files.exists(file)) {
                effective.put(file, previous);
            }
        }
        lastGood.clear();
        lastGood.putAll(effective);
        onChange.accept(new ArrayList<>(effective.values()));
    }

    private Map<Path, String> fingerprint() {
        Map<Path, String> prints = new HashMap<>();
        if (!Files.isDirectory(folder)) {
            if (Files.isRegularFile(folder)) {
                prints.put(folder, stamp(folder));
            }
            return prints;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> RuleLoader.isRuleFile(f) || TuningFiles.isTuningPath(folder, f))
                    .forEach(f -> prints.put(f, stamp(f)));
        } catch (IOException e) {
            LOG.warn("cannot list the rules folder {}: {}", folder, e.getMessage());
            return fingerprint;
        }
        return prints;
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() + ":" + attributes.size();
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
