package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));

    private static ElasticsearchException status(int status, String type) {
        return new ElasticsearchException("search", ErrorResponse.of(r -> r.status(status)
                .error(e -> e.type(type).reason("because"))));
    }

    @Test
    void retriesConnectionFailuresUntilOneSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = policy.run("Reading", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new ConnectException("Connection refused");
            }
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(3, calls.get());
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheDescriptionAndCause() {
        AtomicInteger calls = new AtomicInteger();
        IOException cause = new ConnectException("Connection refused");
        ElasticsearchCallException e = assertThrows(ElasticsearchCallException.class, () -> policy.run("Reading events of [x]", () -> {
            calls.incrementAndGet();
            throw cause;
        }));
        assertEquals(3, calls.get());
        assertTrue(e.getMessage().startsWith("Reading events of [x] failed after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void retriesOverloadAndUnavailableButNotBadRequests() {
        assertTrue(RetryPolicy.isTransient(status(429, "es_rejected_execution_exception")));
        assertTrue(RetryPolicy.isTransient(status(503, "cluster_block_exception")));
        assertTrue(!RetryPolicy.isTransient(status(400, "parsing_exception")));
        assertTrue(!RetryPolicy.isTransient(status(404, "index_not_found_exception")));

        AtomicInteger calls = new AtomicInteger();
        ElasticsearchCallException e = assertThrows(ElasticsearchCallException.class, () -> policy.run("Searching", () -> {
            calls.incrementAndGet();
            throw status(400, "parsing_exception");
        }));
        assertEquals(1, calls.get());
        assertTrue(e.getMessage().startsWith("Searching failed: "), e.getMessage());
    }
}
