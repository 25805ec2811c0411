package io.eqlwatch.testing;

import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.es.LocalElasticsearch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A second shared Elasticsearch for the tests that need security: https with a certificate made for this run
 * (keytool, self-signed for 127.0.0.1), and file-realm users and roles, the realm the integ-test-zip can
 * serve (it cannot create the {@code .security} index, so there are no native users or API keys). Started
 * once per test JVM, on first use, and only by the classes that need it; stopped at JVM exit.
 *
 * <p>Users: {@link #ADMIN} (superuser, for setting up data), {@link #EQLWATCH_USER}, who holds exactly
 * the role given to {@link #shared(String)} — the least-privilege role README documents — and
 * {@link #KIBANA_MODE_USER}, who holds exactly the secure compose stack's role file.
 */
public final class SecuredElasticsearch {

    public static final String ADMIN = "eqlwatch_admin";
    public static final String EQLWATCH_USER = "eqlwatch";
    public static final String EQLWATCH_ROLE = "eqlwatch";
    /**
     * Holds the role of the secure compose stack ({@code docker/secure/eqlwatch-role.json}), for writing into
     * Kibana's own alerts index; same password as {@link #EQLWATCH_USER}.
     */
    public static final String KIBANA_MODE_USER = "eqlwatch_kibana";

    private static final Path SECURE_STACK_ROLE = Path.of("docker", "secure", "eqlwatch-role.json");

    private static SecuredElasticsearch shared;

    private final String adminPassword;
    private final String eqlwatchPassword;
    private final Path caCertificate;
    private final LocalElasticsearch node;
    private final ElasticsearchHarness admin;

    private SecuredElasticsearch(String rolesYml) throws IOException, GeneralSecurityException, InterruptedException {
        SecureRandom random = new SecureRandom();
        adminPassword = "admin-" + Long.toHexString(random.nextLong());
        eqlwatchPassword = "eqlwatch-" + Long.toHexString(random.nextLong());
        Path dir = Files.createTempDirectory("eqlwatch-secured-es");
        dir.toFile().deleteOnExit();
        Path p12 = dir.resolve("http.p12");
        String storePassword = Long.toHexString(random.nextLong());
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "http",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "7",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        p12.toString(),
                        "-storepass",
                        storePassword,
                        "-keypass",
                        storePassword)
                .redirectErrorStream(true)
                .start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(2, TimeUnit.MINUTES) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make a certificate: " + keytoolOutput);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, storePassword.toCharArray());
        }
        Key key = store.getKey("http", storePassword.toCharArray());
        Certificate certificate = store.getCertificate("http");
        byte[] certificatePem = pem("CERTIFICATE", certificate.getEncoded());
        caCertificate = Files.write(dir.resolve("ca.pem"), certificatePem);

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        String users = ADMIN + ":" + pbkdf2(adminPassword, random) + "\n" + EQLWATCH_USER + ":"
                + pbkdf2(eqlwatchPassword, random) + "\n" + KIBANA_MODE_USER + ":" + pbkdf2(eqlwatchPassword, random)
                + "\n";
        String usersRoles = "superuser:" + ADMIN + "\n" + EQLWATCH_ROLE + ":" + EQLWATCH_USER + "\n" + KIBANA_MODE_USER
                + ":" + KIBANA_MODE_USER + "\n";
        // roles.yml is YAML, and a JSON object is a YAML flow mapping: the stack's role file goes in as it is.
        String allRoles = rolesYml + "\n" + KIBANA_MODE_USER + ": "
                + Files.readString(SECURE_STACK_ROLE, StandardCharsets.UTF_8).replace("\n", " ") + "\n";
        node = LocalElasticsearch.builder(ElasticsearchHarness.requestedVersion())
                .startupTimeout(Duration.ofMinutes(4))
                .setting("xpack.security.enabled", "true")
                .setting("xpack.security.http.ssl.enabled", "true")
                .setting("xpack.security.http.ssl.key", "http.key")
                .setting("xpack.security.http.ssl.certificate", "http.crt")
                .setting("xpack.security.transport.ssl.enabled", "false")
                .configFile("http.key", pem("PRIVATE KEY", key.getEncoded()))
                .configFile("http.crt", certificatePem)
                .configFile("users", users.getBytes(StandardCharsets.UTF_8))
                .configFile("users_roles", usersRoles.getBytes(StandardCharsets.UTF_8))
                .configFile("roles.yml", allRoles.getBytes(StandardCharsets.UTF_8))
                .httpsWithBasicAuth(ssl, ADMIN, adminPassword)
                .start();
        admin = ElasticsearchHarness.on(
                ElasticsearchConnection.of(node.url())
                        .withBasicAuth(ADMIN, adminPassword)
                        .withCaCertificate(caCertificate),
                "secured integ-test-zip, pid " + node.pid());
    }

    /**
     * The secured node, started on the first call with {@code rolesYml} as its roles.yml (which must define
     * {@link #EQLWATCH_ROLE}); later calls return the same node.
     */
    public static synchronized SecuredElasticsearch shared(String rolesYml) {
        if (shared == null) {
            try {
                shared = new SecuredElasticsearch(rolesYml);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot start the secured Elasticsearch: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the secured Elasticsearch", e);
            }
        }
        return shared;
    }

    /** e.g. {@code https://127.0.0.1:40123}. */
    public String url() {
        return node.url();
    }

    /** PEM of the certificate the node serves (self-signed: it is its own CA). */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The password of {@link #EQLWATCH_USER}. */
    public String eqlwatchPassword() {
        return eqlwatchPassword;
    }

    /** The test harness, as the superuser, for creating indices and reading alerts. */
    public ElasticsearchHarness admin() {
        return admin;
    }

    /** Elasticsearch's file-realm PBKDF2 hash ({@code {PBKDF2}cost$salt$key}, HMAC-SHA512, 256-bit key). */
    private static String pbkdf2(String password, SecureRandom random) throws GeneralSecurityException {
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        int cost = 10_000;
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, cost, 256))
                .getEncoded();
        return "{PBKDF2}" + cost + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(key);
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
