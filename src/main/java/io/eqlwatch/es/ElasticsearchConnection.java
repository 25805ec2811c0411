package io.eqlwatch.es;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to reach an Elasticsearch cluster. Credentials are optional: an API key (the base64
 * {@code id:key} form Kibana shows) or a user name and password. A CA certificate file (PEM) is only needed
 * for an https cluster whose certificate the JVM does not already trust.
 *
 * @param url            e.g. {@code http://localhost:9200}
 * @param apiKey         encoded API key, or null
 * @param username       basic-auth user, or null
 * @param password       basic-auth password, or null
 * @param caCertificate  PEM file of the CA that signed the cluster's certificate, or null
 * @param connectTimeout how long to wait for a TCP connection
 * @param socketTimeout  how long to wait for a response
 */
public record ElasticsearchConnection(
        String url,
        String apiKey,
        String username,
        String password,
        Path caCertificate,
        Duration connectTimeout,
        Duration socketTimeout) {

    public static final String ENV_API_KEY = "ES_API_KEY";
    public static final String ENV_USERNAME = "ES_USERNAME";
    public static final String ENV_PASSWORD = "ES_PASSWORD";
    public static final String ENV_CA_CERT = "ES_CA_CERT";

    public ElasticsearchConnection {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(
                    "Elasticsearch URL must start with http:// or https://, got '" + withoutCredentials(url) + "'");
        }
        String[] userInfo = credentialsIn(url);
        if (userInfo != null) {
            // https://user:pass@host works as curl has it, but the URL is printed in messages and logs:
            // keep the credentials apart so that it never carries them.
            url = withoutCredentials(url);
            if (username == null && apiKey == null) {
                username = userInfo[0];
                password = userInfo[1];
            }
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (apiKey != null && username != null) {
            throw new IllegalArgumentException("Give either an API key or a user name and password, not both");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("A user name needs a password and a password needs a user name");
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        socketTimeout = socketTimeout == null ? Duration.ofSeconds(60) : socketTimeout;
    }

    /** No credentials, default timeouts. */
    public static ElasticsearchConnection of(String url) {
        return new ElasticsearchConnection(url, null, null, null, null, null, null);
    }

    /**
     * Credentials and CA from the environment: {@code ES_API_KEY}, or {@code ES_USERNAME} with
     * {@code ES_PASSWORD}, and {@code ES_CA_CERT}.
     */
    public static ElasticsearchConnection fromEnvironment(String url) {
        return fromEnvironment(url, System.getenv());
    }

    static ElasticsearchConnection fromEnvironment(String url, Map<String, String> env) {
        String ca = blankToNull(env.get(ENV_CA_CERT));
        return new ElasticsearchConnection(
                url,
                blankToNull(env.get(ENV_API_KEY)),
                blankToNull(env.get(ENV_USERNAME)),
                blankToNull(env.get(ENV_PASSWORD)),
                ca == null ? null : Paths.get(ca),
                null,
                null);
    }

    public ElasticsearchConnection withApiKey(String key) {
        return new ElasticsearchConnection(url, key, null, null, caCertificate, connectTimeout, socketTimeout);
    }

    public ElasticsearchConnection withBasicAuth(String user, String pass) {
        return new ElasticsearchConnection(url, null, user, pass, caCertificate, connectTimeout, socketTimeout);
    }

    public ElasticsearchConnection withCaCertificate(Path pem) {
        return new ElasticsearchConnection(url, apiKey, username, password, pem, connectTimeout, socketTimeout);
    }

    public ElasticsearchConnection withTimeouts(Duration connect, Duration socket) {
        return new ElasticsearchConnection(url, apiKey, username, password, caCertificate, connect, socket);
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        String auth = apiKey != null ? "api-key" : username != null ? "basic " + username : "none";
        return url + " (auth: " + auth + (caCertificate != null ? ", CA " + caCertificate : "") + ")";
    }

    /** The URL with any {@code user:password@} removed, safe to print. */
    public static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int slash = url.indexOf('/', start);
        int end = slash < 0 ? url.length() : slash;
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + url.substring(at + 1);
    }

    /** {@code [user, password]} from {@code scheme://user:password@host}, decoded, or null. */
    private static String[] credentialsIn(String url) {
        int start = url.indexOf("://") + 3;
        int slash = url.indexOf('/', start);
        int end = slash < 0 ? url.length() : slash;
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return null;
        }
        String info = url.substring(start, at);
        int colon = info.indexOf(':');
        String user = colon < 0 ? info : info.substring(0, colon);
        String pass = colon < 0 ? "" : info.substring(colon + 1);
        return new String[] {decode(user), decode(pass)};
    }

    /** Percent-decoding; a '+' in the user part of a URL is a plus, not a space. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
