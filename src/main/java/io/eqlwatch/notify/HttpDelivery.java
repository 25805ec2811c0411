package io.eqlwatch.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP request of a connector, with the JDK's client, and what its answer means for retrying:
 * 2xx is delivered; 408, 429 and 5xx and any I/O failure are worth another try; other 4xx are a
 * refusal that retrying will not change.
 */
final class HttpDelivery {

    private final HttpClient client;
    private final Duration timeout;
    private final Redaction redaction;

    HttpDelivery(Duration timeout, Redaction redaction) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timeout = timeout;
        this.redaction = redaction;
    }

    DeliveryOutcome send(String method, URI url, Map<String, String> headers, String body, String receiver) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(timeout).method(method, HttpRequest.BodyPublishers.ofString(body));
        boolean contentType = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        if (!contentType) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            String answer = receiver + " answered " + status + snippet(response.body());
            if (status >= 200 && status < 300) {
                return DeliveryOutcome.ok(answer);
            }
            if (status == 408 || status == 429 || status >= 500) {
                return DeliveryOutcome.retry(answer);
            }
            return DeliveryOutcome.refused(answer);
        } catch (HttpTimeoutException e) {
            return DeliveryOutcome.retry(receiver + " did not answer within " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            String reason = e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return DeliveryOutcome.retry(receiver + " unreachable: " + redaction.scrub(reason));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry(receiver + ": interrupted while sending");
        }
    }

    private String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + redaction.scrub(oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
