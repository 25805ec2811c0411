package io.eqlwatch.es;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Elasticsearch integ-test-zip of one version, as Maven resolves it
 * ({@code org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip}), and its unpacked
 * copy in a cache directory. The zip has no bundled JDK and only the modules a bare node needs.
 */
public final class ElasticsearchDistribution {

    static final String GROUP_PATH = "org/elasticsearch/distribution/integ-test-zip/elasticsearch";

    private final String version;
    private final Path zip;

    private ElasticsearchDistribution(String version, Path zip) {
        this.version = version;
        this.zip = zip;
    }

    /** The distribution of {@code version} in the given zip file (no Maven lookup). */
    public static ElasticsearchDistribution ofZip(String version, Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new LocalElasticsearchException("Elasticsearch " + version + " distribution not found at " + zip);
        }
        return new ElasticsearchDistribution(version, zip);
    }

    /**
     * Finds the zip of {@code version} in a Maven local repository; the error says how to fetch it when it
     * is missing.
     */
    public static ElasticsearchDistribution inMavenRepository(String version, Path repository) {
        Path zip = repository.resolve(GROUP_PATH).resolve(version).resolve("elasticsearch-" + version + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new LocalElasticsearchException("Elasticsearch " + version + " is not in the local Maven repository ("
                    + zip + "). Fetch it with `mvn -B verify` in the eqlwatch checkout, or with `mvn dependency:get"
                    + " -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + version + ":zip`.");
        }
        return new ElasticsearchDistribution(version, zip);
    }

    /**
     * The local Maven repository: the {@code maven.repo.local} system property when set (the build passes it
     * to the tests), else {@code ~/.m2/repository}.
     */
    public static Path defaultMavenRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    public String version() {
        return version;
    }

    public Path zip() {
        return zip;
    }

    /** The major version number, e.g. 8 for "8.19.8". */
    public int majorVersion() {
        return majorOf(version);
    }

    static int majorOf(String version) {
        try {
            return Integer.parseInt(
                    version.substring(0, version.indexOf('.') < 0 ? version.length() : version.indexOf('.')));
        } catch (NumberFormatException e) {
            throw new LocalElasticsearchException("Not an Elasticsearch version: '" + version + "'");
        }
    }

    /**
     * Unpacks the zip into {@code cacheDir/elasticsearch-<version>} unless already there, and returns that
     * home directory. Unpacking goes to a temporary sibling first and is renamed into place, so a crash or a
     * concurrent unpack never leaves a half-written home behind. Everything is made world-readable because
     * the node may run as an unprivileged user.
     */
    public Path unpack(Path cacheDir) {
        Path home = cacheDir.resolve("elasticsearch-" + version);
        if (Files.isRegularFile(home.resolve("bin").resolve("elasticsearch"))) {
            return home;
        }
        Path staging = null;
        try {
            Files.createDirectories(cacheDir);
            staging = Files.createTempDirectory(cacheDir, "unpacking-" + version + "-");
            extract(staging);
            Path unpackedHome = staging.resolve("elasticsearch-" + version);
            if (!Files.isRegularFile(unpackedHome.resolve("bin").resolve("elasticsearch"))) {
                throw new LocalElasticsearchException(
                        zip + " does not contain elasticsearch-" + version + "/bin/elasticsearch");
            }
            try {
                Files.move(unpackedHome, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                // Another process finished first; its copy is as good as ours.
                if (!Files.isRegularFile(home.resolve("bin").resolve("elasticsearch"))) {
                    throw raced;
                }
            }
            return home;
        } catch (IOException e) {
            throw new LocalElasticsearchException("Cannot unpack " + zip + " into " + cacheDir + ": " + e, e);
        } finally {
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    private void extract(Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zipFile.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zipFile.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                // java.util.zip drops Unix modes; only the launch scripts need the execute bit.
                boolean executable = out.getParent().getFileName().toString().equals("bin");
                Files.setPosixFilePermissions(
                        out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a leftover temp file must not hide the real outcome.
                }
            });
        } catch (IOException ignored) {
            // Same as above.
        }
    }

    @Override
    public String toString() {
        return "Elasticsearch " + version + " (" + zip + ")";
    }
}
