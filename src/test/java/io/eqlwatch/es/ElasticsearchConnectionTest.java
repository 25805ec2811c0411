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
        ElasticsearchConnection c = ElasticsearchConnection.fromEnvironment("https://es:9200/",
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
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchConnection.fromEnvironment("http://es:9200",
                Map.of("ES_API_KEY", "abc", "ES_USERNAME", "u", "ES_PASSWORD", "p")));
        assertThrows(IllegalArgumentException.class, () -> ElasticsearchConnection.fromEnvironment("http://es:9200",
                Map.of("ES_USERNAME", "u")));
    }

    @Test
    void anApiKeyNeverShowsInToString() {
        ElasticsearchConnection c = ElasticsearchConnection.of("http://es:9200").withApiKey("c2VjcmV0OmtleQ==");
        assertEquals("http://es:9200 (auth: api-key)", c.toString());
    }
}
