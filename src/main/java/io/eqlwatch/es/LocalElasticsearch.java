package io.eqlwatch.es;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Elasticsearch started from the integ-test-zip as a child process: loopback only, a port the
 * OS picks, security off, a small heap. When this JVM runs as root the node runs as an unprivileged user
 * (Elasticsearch refuses root). {@link #close()} (or JVM shutdown) stops the whole process tree and, unless a
 * work directory was given, deletes the node's data.
 *
 * <pre>{@code
 * try (LocalElasticsearch es = LocalElasticsearch.builder("8.19.8").start()) {
 *     ElasticsearchClient client = ElasticsearchClients.create(ElasticsearchConnection.of(es.url()));
 * }
 * }</pre>
 */
public final class LocalElasticsearch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalElasticsearch.class);
    private static final int NOBODY = 65534;
    private static final int LOG_TAIL_LINES = 40;
    /** In a temporary work directory: "<pid of the JVM that started the node> <pid of the node>". */
    private static final String OWNER_FILE = "owner.pid";

    private final String version;
    private final Process process;
    private final Path workDir;
    private final boolean deleteWorkDirOnClose;
    private final String url;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalElasticsearch(
            String version, Process process, Path workDir, boolean deleteWorkDirOnClose, String url) {
        this.version = version;
        this.process = process;
        this.workDir = workDir;
        this.deleteWorkDirOnClose = deleteWorkDirOnClose;
        this.url = url;
        this.shutdownHook = new Thread(this::stop, "stop-local-elasticsearch-" + version);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder(String version) {
        return new Builder(version);
    }

    /** The HTTP address, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    public String version() {
        return version;
    }

    /** The node's working directory: config, data and logs. */
    public Path workDir() {
        return workDir;
    }

    /** Everything the node printed (its log, as it goes to the console). */
    public Path consoleLog() {
        return workDir.resolve("logs").resolve("console.log");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Blocks until the node exits (for a command that keeps it running in the foreground). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; stop() below is idempotent.
        }
        stop();
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        destroyTree(process);
        if (deleteWorkDirOnClose) {
            ElasticsearchDistribution.deleteRecursively(workDir);
        }
    }

    /** Asks every process of the tree to stop, then kills what is left after a grace period. */
    private static void destroyTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plusSeconds(30);
        for (ProcessHandle handle : tree) {
            try {
                long left =
                        Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                handle.onExit().get(left, TimeUnit.MILLISECONDS);
            } catch (Exception notYet) {
                handle.destroyForcibly();
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Options for starting a node. Everything but the version has a default. */
    public static final class Builder {
        private final String version;
        private ElasticsearchDistribution distribution;
        private Path mavenRepository = ElasticsearchDistribution.defaultMavenRepository();
        private Path cacheDir;
        private Path workDir;
        private Path javaHome;
        private String heap = "512m";
        private Duration startupTimeout = Duration.ofSeconds(180);
        private Integer runAsUid;
        private Integer runAsGid;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, byte[]> configFiles = new LinkedHashMap<>();
        private SSLContext httpsTrust;
        private String healthAuthorization;

        private Builder(String version) {
            this.version = Objects.requireNonNull(version, "version");
            ElasticsearchDistribution.majorOf(version);
        }

        /** Use this zip instead of looking the version up in the Maven repository. */
        public Builder distribution(ElasticsearchDistribution distribution) {
            this.distribution = distribution;
            return this;
        }

        public Builder mavenRepository(Path mavenRepository) {
            this.mavenRepository = mavenRepository;
            return this;
        }

        /** Where distributions are unpacked (shared between runs). */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** Keep config, data and logs here and leave them on close (default: a temporary directory, deleted). */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** The JDK to run Elasticsearch with (default: see {@link JavaHomeFinder}). */
        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        /** Heap size, used for both -Xms and -Xmx. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** The user the node runs as when this JVM is root (default 65534, "nobody"). */
        public Builder runAs(int uid, int gid) {
            this.runAsUid = uid;
            this.runAsGid = gid;
            return this;
        }

        /** A file for the node's config directory (file-realm users and roles, certificates). */
        public Builder configFile(String name, byte[] content) {
            configFiles.put(name, content.clone());
            return this;
        }

        /**
         * The node serves https (its certificate trusted by {@code trust}) and answers only to credentials:
         * {@link #start()} checks its health as {@code user}. The settings that turn security and TLS on are the
         * caller's ({@link #setting}).
         */
        public Builder httpsWithBasicAuth(SSLContext trust, String user, String password) {
            this.httpsTrust = Objects.requireNonNull(trust, "trust");
            this.healthAuthorization = "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** An extra elasticsearch.yml setting. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public LocalElasticsearch start() {
            ElasticsearchDistribution dist = distribution != null
                    ? distribution
                    : ElasticsearchDistribution.inMavenRepository(version, mavenRepository);
            boolean root = isRoot();
            int uid = runAsUid != null ? runAsUid : NOBODY;
            int gid = runAsGid != null ? runAsGid : NOBODY;
            Path cache = cacheDir != null ? cacheDir : defaultCacheDir(root);
            Path home = dist.unpack(cache);
            Path java = new JavaHomeFinder().find(dist.majorVersion(), javaHome);
            boolean temporary = workDir == null;
            if (temporary) {
                reapOrphans(cache.resolve("nodes"));
            }
            Path dir;
            try {
                dir = (temporary
                                ? Files.createTempDirectory(createdDirectory(cache.resolve("nodes")), version + "-")
                                : createdDirectory(workDir))
                        .toAbsolutePath();
            } catch (IOException e) {
                throw new LocalElasticsearchException(
                        "Cannot create a work directory for Elasticsearch " + version + ": " + e, e);
            }
            try {
                prepareWorkDir(home, dir);
                if (root) {
                    chownRecursively(dir, uid, gid);
                    requireTraversable(home, uid);
                    requireTraversable(java, uid);
                    requireTraversable(dir, uid);
                }
            } catch (IOException | RuntimeException e) {
                if (temporary) {
                    ElasticsearchDistribution.deleteRecursively(dir);
                }
                throw e instanceof LocalElasticsearchException le
                        ? le
                        : new LocalElasticsearchException(
                                "Cannot prepare " + dir + " for Elasticsearch " + version + ": " + e, e);
            }
            List<String> command = new ArrayList<>();
            if (root) {
                command.addAll(List.of(setpriv(), "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
            }
            command.add(home.resolve("bin").resolve("elasticsearch").toString());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs").resolve("console.log").toFile());
            Map<String, String> env = pb.environment();
            List.of("ES_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "ES_HOME")
                    .forEach(env::remove);
            env.put("ES_JAVA_HOME", java.toString());
            env.put("ES_PATH_CONF", dir.resolve("config").toString());
            env.put("ES_TMPDIR", dir.resolve("tmp").toString());
            env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
            env.put("HOME", dir.toString());
            log.info(
                    "Starting Elasticsearch {} from {} with Java at {} in {}{}",
                    version,
                    home,
                    java,
                    dir,
                    root ? " as uid " + uid : "");
            Process process;
            try {
                process = pb.start();
                Files.writeString(
                        dir.resolve(OWNER_FILE), ProcessHandle.current().pid() + " " + process.pid() + "\n");
            } catch (IOException e) {
                throw new LocalElasticsearchException(
                        "Cannot start Elasticsearch " + version + " (" + command + "): " + e, e);
            }
            String url;
            try {
                url = awaitHealthy(process, dir);
            } catch (RuntimeException e) {
                destroyTree(process);
                if (temporary) {
                    // Keep the log of a failed start next to the cache for a post-mortem, drop the rest.
                    copyQuietly(
                            dir.resolve("logs").resolve("console.log"),
                            cache.resolve("last-failed-start-" + version + ".log"));
                    ElasticsearchDistribution.deleteRecursively(dir);
                }
                throw e;
            }
            log.info("Elasticsearch {} is up at {} (pid {})", version, url, process.pid());
            return new LocalElasticsearch(version, process, dir, temporary, url);
        }

        private void prepareWorkDir(Path home, Path dir) throws IOException {
            Path config = dir.resolve("config");
            for (String sub : List.of("config", "data", "logs", "tmp")) {
                Files.createDirectories(dir.resolve(sub));
            }
            copyTree(home.resolve("config"), config);
            Files.write(
                    config.resolve("jvm.options"),
                    jvmOptions(home.resolve("config").resolve("jvm.options"), dir.resolve("logs")));
            Map<String, String> yml = new LinkedHashMap<>();
            yml.put("cluster.name", "eqlwatch-local");
            yml.put("node.name", "eqlwatch-local");
            yml.put("network.host", "127.0.0.1");
            // Port 0: the OS picks free ports, and the node writes them to logs/http.ports (no race).
            yml.put("http.port", "0");
            yml.put("transport.port", "0");
            yml.put("node.portsfile", "true");
            yml.put("discovery.type", "single-node");
            yml.put("xpack.security.enabled", "false");
            // A nearly full disk on a build machine must not turn the test indices read-only.
            yml.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            yml.put("path.data", dir.resolve("data").toString());
            yml.put("path.logs", dir.resolve("logs").toString());
            yml.putAll(settings);
            StringBuilder text = new StringBuilder("# Written by eqlwatch LocalElasticsearch\n");
            yml.forEach(
                    (k, v) -> text.append(k).append(": ").append(quoteYaml(v)).append('\n'));
            Files.writeString(config.resolve("elasticsearch.yml"), text.toString());
            for (Map.Entry<String, byte[]> file : configFiles.entrySet()) {
                Files.write(config.resolve(file.getKey()), file.getValue());
            }
            Files.deleteIfExists(dir.resolve("logs").resolve("http.ports"));
        }

        private String awaitHealthy(Process process, Path dir) {
            Instant deadline = Instant.now().plus(startupTimeout);
            Path portsFile = dir.resolve("logs").resolve("http.ports");
            HttpClient.Builder httpBuilder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            if (httpsTrust != null) {
                httpBuilder.sslContext(httpsTrust);
            }
            HttpClient http = httpBuilder.build();
            String url = null;
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new LocalElasticsearchException("Elasticsearch " + version + " exited with code "
                            + process.exitValue() + " while starting. Last lines of " + dir.resolve("logs/console.log")
                            + ":\n" + tail(dir));
                }
                if (url == null) {
                    url = readPortsFile(portsFile, httpsTrust != null ? "https" : "http");
                }
                if (url != null && isHealthy(http, url, healthAuthorization)) {
                    return url;
                }
                sleep(500);
            }
            throw new LocalElasticsearchException("Elasticsearch " + version + " did not become healthy within "
                    + startupTimeout.toSeconds() + " s"
                    + (url == null ? " (it never bound its HTTP port)" : " at " + url)
                    + ". Last lines of " + dir.resolve("logs/console.log") + ":\n" + tail(dir));
        }

        private static String readPortsFile(Path portsFile, String scheme) {
            try {
                if (!Files.isRegularFile(portsFile)) {
                    return null;
                }
                // The node writes the file once all addresses are bound; a partial read shows as blank.
                for (String line : Files.readAllLines(portsFile)) {
                    String address = line.trim();
                    if (!address.isEmpty()) {
                        return scheme + "://" + address;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }

        private static boolean isHealthy(HttpClient http, String url, String authorization) {
            try {
                HttpRequest.Builder builder = HttpRequest.newBuilder(
                                URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                        .timeout(Duration.ofSeconds(5));
                if (authorization != null) {
                    builder.header("Authorization", authorization);
                }
                HttpRequest request = builder.GET().build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalElasticsearchException("Interrupted while waiting for Elasticsearch to start", e);
            }
        }

        private static List<String> jvmOptions(Path original, Path logs) throws IOException {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(original)) {
                // GC logging and crash files default to paths relative to the node's (unwritable) home.
                if (line.contains("-Xlog:gc")) {
                    continue;
                }
                out.add(line.replace("-XX:ErrorFile=hs_err", "-XX:ErrorFile=" + logs.resolve("hs_err")));
            }
            out.add("-XX:HeapDumpPath=" + logs);
            return out;
        }
    }

    /**
     * Stops and deletes temporary nodes whose owning JVM died without its shutdown hook (kill -9, a CI
     * timeout), so that aborted test runs do not leave Elasticsearch processes behind.
     */
    private static void reapOrphans(Path nodesDir) {
        if (!Files.isDirectory(nodesDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(nodesDir)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                String[] pids = Files.readString(owner).trim().split("\\s+");
                if (pids.length != 2
                        || ProcessHandle.of(Long.parseLong(pids[0]))
                                .map(ProcessHandle::isAlive)
                                .orElse(false)) {
                    continue;
                }
                // The pid may have been reused since: only a process started for this directory is ours.
                ProcessHandle.of(Long.parseLong(pids[1]))
                        .filter(node -> node.info()
                                .commandLine()
                                .map(c -> c.contains(dir.toString()))
                                .orElse(false))
                        .ifPresent(node -> {
                            log.warn(
                                    "Stopping Elasticsearch left running by a JVM that died (pid {}, {})",
                                    node.pid(),
                                    dir);
                            node.descendants().forEach(ProcessHandle::destroyForcibly);
                            node.destroyForcibly();
                        });
                ElasticsearchDistribution.deleteRecursively(dir);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not look for orphaned nodes in {}: {}", nodesDir, e.toString());
        }
    }

    static String tail(Path workDir) {
        Path console = workDir.resolve("logs").resolve("console.log");
        try {
            List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the effective user of this process.
            return ((Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Path defaultCacheDir(boolean root) {
        // root's home is usually not traversable by the unprivileged user the node runs as.
        if (root) {
            return Paths.get(System.getProperty("java.io.tmpdir"), "eqlwatch-elasticsearch");
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "eqlwatch", "elasticsearch");
    }

    private static Path createdDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void copyQuietly(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // Only a convenience for debugging.
        }
    }

    private static void chownRecursively(Path dir, int uid, int gid) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setAttribute(p, "unix:uid", uid);
                Files.setAttribute(p, "unix:gid", gid);
            }
        }
    }

    /** Fails early, with the reason, when the unprivileged user could not reach {@code path}. */
    private static void requireTraversable(Path path, int uid) throws IOException {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            int owner = (Integer) Files.getAttribute(p, "unix:uid");
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            boolean othersCanEnter = (mode & 0001) != 0;
            if (owner != uid && !othersCanEnter) {
                throw new LocalElasticsearchException("Elasticsearch runs as uid " + uid + " (it refuses root), but "
                        + p + " is not searchable by other users (mode " + Integer.toOctalString(mode & 0777)
                        + "). Use a cache/work directory outside it.");
            }
        }
    }

    private static String setpriv() {
        for (String candidate : List.of("/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv", "/sbin/setpriv")) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return candidate;
            }
        }
        throw new LocalElasticsearchException("Running as root, Elasticsearch must be started as an unprivileged user,"
                + " which needs 'setpriv' (util-linux); it was not found. Install util-linux or run as a normal user.");
    }

    private static String quoteYaml(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalElasticsearchException("Interrupted while waiting for Elasticsearch to start", e);
        }
    }
}
