package io.eqlwatch.source;

import io.eqlwatch.es.ElasticsearchCallException;
import java.io.IOException;
import java.io.InputStream;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * One request over the low-level client, for the reads that stream their response instead of letting
 * the Java client map it. A refusal that retrying cannot cure fails at once with Elasticsearch's own
 * reason; a transient one (429, 502 to 504) is thrown as the IOException it is, for the caller's
 * {@link io.eqlwatch.es.RetryPolicy} to retry.
 */
final class LowLevelCall {

    /** Reads the response body; the stream is closed after it. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    private LowLevelCall() {}

    /** @param what how an error names the call, e.g. "Counting events of [logs-*] in http://…" */
    static <T> T send(RestClient rest, Request request, String what, BodyReader<T> reader) throws IOException {
        try {
            Response response = rest.performRequest(request);
            try (InputStream in = response.getEntity().getContent()) {
                return reader.read(in);
            }
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 429 || status >= 502 && status <= 504) {
                throw e;
            }
            throw new ElasticsearchCallException(
                    what + " failed: HTTP " + status + " " + SearchErrors.reason(e.getResponse()), e);
        }
    }
}
