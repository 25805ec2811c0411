package io.eqlwatch.es;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Picks the JDK that runs a local Elasticsearch (the integ-test-zip has none bundled): Elasticsearch 8.x
 * runs on Java 17+, 9.x needs Java 21+. The JVM running eqlwatch is used when it is recent enough, so a
 * Java 25 is only used where Elasticsearch needs it.
 */
public final class JavaHomeFinder {

    /** Environment variable naming the JDK for Elasticsearch, overriding the search. */
    public static final String OVERRIDE_ENV = "EQLWATCH_ES_JAVA_HOME";

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"?(\\d+)", Pattern.MULTILINE);

    private final Map<String, String> env;
    private final List<Path> searchRoots;

    public JavaHomeFinder() {
        this(System.getenv(), defaultSearchRoots());
    }

    JavaHomeFinder(Map<String, String> env, List<Path> searchRoots) {
        this.env = env;
        this.searchRoots = searchRoots;
    }

    /** The minimum Java feature version an Elasticsearch major version runs on. */
    public static int minimumJavaFor(int elasticsearchMajor) {
        return elasticsearchMajor >= 9 ? 21 : 17;
    }

    /**
     * The JDK home for Elasticsearch of the given major version. Order: {@code explicit} (when not null),
     * {@code $EQLWATCH_ES_JAVA_HOME}, the running JVM, {@code $JAVA21_HOME}, {@code $JAVA_HOME}, then the
     * lowest sufficient JDK under the usual install roots (/usr/lib/jvm, ...).
     */
    public Path find(int elasticsearchMajor, Path explicit) {
        int minimum = minimumJavaFor(elasticsearchMajor);
        if (explicit != null) {
            return require(explicit, minimum, "the configured Java home");
        }
        String override = env.get(OVERRIDE_ENV);
        if (override != null && !override.isBlank()) {
            return require(Paths.get(override), minimum, "$" + OVERRIDE_ENV);
        }
        if (Runtime.version().feature() >= minimum) {
            return Paths.get(System.getProperty("java.home"));
        }
        for (String variable : List.of("JAVA21_HOME", "JAVA_HOME")) {
            String value = env.get(variable);
            if (value != null
                    && !value.isBlank()
                    && featureVersion(Paths.get(value)).orElse(0) >= minimum) {
                return Paths.get(value);
            }
        }
        List<Candidate> found = new ArrayList<>();
        for (Path root : searchRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> children = Files.list(root)) {
                children.forEach(dir -> {
                    Path home = Files.isDirectory(dir.resolve("Contents/Home")) ? dir.resolve("Contents/Home") : dir;
                    featureVersion(home).filter(v -> v >= minimum).ifPresent(v -> found.add(new Candidate(home, v)));
                });
            } catch (IOException ignored) {
                // An unreadable root just has no candidates.
            }
        }
        return found.stream()
                .min(Comparator.comparingInt(Candidate::feature)
                        .thenComparing(c -> c.home().toString()))
                .map(Candidate::home)
                .orElseThrow(() -> new LocalElasticsearchException("Elasticsearch " + elasticsearchMajor
                        + ".x needs Java " + minimum + " or newer, and none was found: this JVM is Java "
                        + Runtime.version().feature() + ", $JAVA21_HOME and $JAVA_HOME are unset or older, and "
                        + searchRoots + " hold no such JDK. Set $" + OVERRIDE_ENV + " to a JDK " + minimum
                        + "+ home."));
    }

    private static Path require(Path home, int minimum, String origin) {
        int feature = featureVersion(home)
                .orElseThrow(() -> new LocalElasticsearchException(
                        origin + " (" + home + ") is not a JDK home: no bin/java with a readable 'release' file"));
        if (feature < minimum) {
            throw new LocalElasticsearchException(origin + " (" + home + ") is Java " + feature
                    + " but this Elasticsearch needs Java " + minimum + " or newer");
        }
        return home;
    }

    /** The feature version (17, 21, 25...) of the JDK at {@code home}, read from its 'release' file. */
    static Optional<Integer> featureVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)
                || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return Optional.empty();
        }
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
            if (!m.find()) {
                return Optional.empty();
            }
            int first = Integer.parseInt(m.group(1));
            // Java 8 and older report "1.8.0_...".
            return Optional.of(first == 1 ? 8 : first);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Path> defaultSearchRoots() {
        String userHome = System.getProperty("user.home");
        return List.of(
                Paths.get("/usr/lib/jvm"),
                Paths.get("/usr/java"),
                Paths.get("/opt/java"),
                Paths.get(userHome, ".sdkman", "candidates", "java"),
                Paths.get(userHome, ".jdks"),
                Paths.get("/Library/Java/JavaVirtualMachines"));
    }

    private record Candidate(Path home, int feature) {}
}
