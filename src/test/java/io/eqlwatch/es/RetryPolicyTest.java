package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
        ElasticsearchCallException e = assertThrows(
                ElasticsearchCallException.class,
                () -> policy.run("Reading events of [x]", () -> {
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
        ElasticsearchCallException e = assertThrows(
                ElasticsearchCallException.class,
                () -> policy.run("Searching", () -> {
                    calls.incrementAndGet();
                    throw status(400, "parsing_exception");
                }));
        assertEquals(1, calls.get());
        assertTrue(e.getMessage().startsWith("Searching failed: "), e.getMessage());
    }

    @Test
    void followsKibanasListOfTransientStatusesAndNeverRetriesCredentials() {
        for (int status : new int[] {408, 410, 429, 502, 503, 504}) {
            assertTrue(RetryPolicy.isTransient(status(status, "x")), "status " + status);
        }
        for (int status : new int[] {400, 401, 403, 404, 409, 500}) {
            assertTrue(!RetryPolicy.isTransient(status(status, "x")), "status " + status);
        }
        assertTrue(!RetryPolicy.isTransient(new javax.net.ssl.SSLHandshakeException("PKIX path building failed")));
        assertTrue(RetryPolicy.isTransient(
                new org.apache.http.ConnectionClosedException("Connection closed unexpectedly")));
    }

    @Test
    void a401FailsAtOnceSayingToCheckTheCredentials() {
        AtomicInteger calls = new AtomicInteger();
        ElasticsearchCallException e = assertThrows(
                ElasticsearchCallException.class,
                () -> policy.run("Reading", () -> {
                    calls.incrementAndGet();
                    throw status(401, "security_exception");
                }));
        assertEquals(1, calls.get());
        assertTrue(e.isAuthorizationFailure());
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("check the credentials"), e.getMessage());
    }

    @Test
    void a403OnARequestWithoutABodyNamesThePrivilegeTheCallNeeds() {
        ElasticsearchCallException e = assertThrows(
                ElasticsearchCallException.class,
                () -> policy.run("checking alias 'alerts'", "view_index_metadata on alerts", () -> {
                    throw new co.elastic.clients.transport.TransportException(
                            new co.elastic.clients.transport.http.TransportHttpClient.Response() {
                                public co.elastic.clients.transport.http.TransportHttpClient.Node node() {
                                    return null;
                                }

                                public int statusCode() {
                                    return 403;
                                }

                                public String header(String name) {
                                    return null;
                                }

                                public java.util.List<String> headers(String name) {
                                    return java.util.List.of();
                                }

                                public co.elastic.clients.util.BinaryData body() {
                                    return null;
                                }

                                public Object originalResponse() {
                                    return null;
                                }

                                public void close() {}
                            },
                            "Expecting a response body, but none was sent",
                            "es/indices.exists_alias");
                }));
        assertEquals(403, e.status());
        assertTrue(
                e.getMessage()
                        .startsWith("checking alias 'alerts' failed: forbidden: needs privilege"
                                + " view_index_metadata on alerts"),
                e.getMessage());
    }

    @Test
    void backoffDoublesWithJitterUpToItsCeiling() {
        RetryPolicy backoff = new RetryPolicy(10, Duration.ofMillis(400), Duration.ofMillis(3000));
        for (int i = 0; i < 200; i++) {
            long first = backoff.waitAfter(1, 0).toMillis();
            long third = backoff.waitAfter(3, 0).toMillis();
            long ninth = backoff.waitAfter(9, 0).toMillis();
            assertTrue(first >= 200 && first <= 400, "first " + first);
            assertTrue(third >= 800 && third <= 1600, "third " + third);
            assertTrue(ninth >= 1500 && ninth <= 3000, "ninth " + ninth);
        }
    }

    @Test
    void aRetryAfterIsHonouredOnOverloadUpToAMinute() {
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", java.time.Instant.EPOCH));
        assertEquals(
                Duration.ofSeconds(30), RetryAfter.parse("Thu, 01 Jan 1970 00:00:30 GMT", java.time.Instant.EPOCH));
        assertEquals(null, RetryAfter.parse("soon", java.time.Instant.EPOCH));

        try {
            RetryAfter.heard("3");
            RetryPolicy quick = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20));
            assertTrue(quick.waitAfter(1, 429).toMillis() > 2000, "429 waits for the Retry-After");
            assertTrue(quick.waitAfter(1, 0).toMillis() <= 20, "a dropped connection does not");
            RetryAfter.heard("3600");
            assertEquals(RetryPolicy.MAX_RETRY_AFTER, quick.waitAfter(1, 503));
        } finally {
            RetryAfter.forget();
        }
    }
}
