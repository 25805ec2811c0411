package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElasticsearchConnectionTest {

    @Test
    void readsCredentialsFromTheEnvironment() {
        ElasticsearchConnection c = ElasticsearchConnection.fromEnvironment(
                "https://es:9200/",
                Map.of("ES_USERNAME", "elastic", "ES_PASSWORD", "s3cret", "ES_CA_CERT", "/etc/ca.pem"));
        assertEquals("https://es:9200", c.url());
        assertEquals("elastic", c.username());
        assertEquals(Path.of("/etc/ca.pem"), c.caCertificate());
        assertNull(c.apiKey());
        assertFalse(c.toString().contains("s3cret"));
    }

    @Test
    void rejectsAmbiguousOrIncompleteSettings() {
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchConnection.of("localhost:9200"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ElasticsearchConnection.fromEnvironment(
                        "http://es:9200", Map.of("ES_API_KEY", "abc", "ES_USERNAME", "u", "ES_PASSWORD", "p")));
        assertThrows(
                IllegalArgumentException.class,
                () -> ElasticsearchConnection.fromEnvironment("http://es:9200", Map.of("ES_USERNAME", "u")));
    }

    @Test
    void anApiKeyNeverShowsInToString() {
        ElasticsearchConnection c = ElasticsearchConnection.of("http://es:9200").withApiKey("c2VjcmV0OmtleQ==");
        assertEquals("http://es:9200 (auth: api-key)", c.toString());
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuthAndLeaveTheUrl() {
        ElasticsearchConnection c = ElasticsearchConnection.of("https://eqlwatch:p%40ss+w0rd@es.example:9200/");
        assertEquals("https://es.example:9200", c.url());
        assertEquals("eqlwatch", c.username());
        assertEquals("p@ss+w0rd", c.password());
        assertFalse(c.toString().contains("w0rd"), c.toString());
        assertEquals(
                "https://es.example:9200/x",
                ElasticsearchConnection.withoutCredentials("https://u:secret@es.example:9200/x"));
        assertEquals("http://es:9200", ElasticsearchConnection.withoutCredentials("http://es:9200"));
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> ElasticsearchConnection.of("ftp://u:secret@es:9200"));
        assertFalse(bad.getMessage().contains("secret"), bad.getMessage());
    }
}
