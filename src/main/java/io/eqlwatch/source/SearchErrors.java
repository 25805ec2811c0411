package io.eqlwatch.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.elasticsearch.client.Response;

/** Says in one line why Elasticsearch refused a request, from the error body it sent back. */
final class SearchErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchErrors() {}

    /** {@code type: reason} of the error, its first root cause's if that says more, else the status line. */
    static String reason(Response response) {
        if (response.getEntity() == null) {
            return response.getStatusLine().getReasonPhrase();
        }
        try (InputStream in = response.getEntity().getContent()) {
            JsonNode error = JSON.readTree(in).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            JsonNode cause = error.path("root_cause").path(0);
            JsonNode reported = cause.hasNonNull("reason") ? cause : error;
            String type = reported.path("type").asText("");
            String reason = reported.path("reason").asText("");
            if (type.isEmpty() && reason.isEmpty()) {
                return response.getStatusLine().getReasonPhrase();
            }
            return type.isEmpty() ? reason : type + ": " + reason;
        } catch (IOException | RuntimeException e) {
            return response.getStatusLine().getReasonPhrase();
        }
    }
}
