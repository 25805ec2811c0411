package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notify test} against a real HTTP receiver on loopback; no Elasticsearch is involved. */
class NotifyCommandTest {

    @TempDir
    Path folder;

    @Test
    void sendsAMadeUpAlertThroughTheConnectorAndSaysHowItWent() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            Path urlFile = folder.resolve("slack-url");
            Files.writeString(urlFile, receiver.url("/services/T1/B2/token"));
            Path connectors = folder.resolve("connectors.yml");
            Files.writeString(connectors, "connectors:\n  soc:\n    type: slack\n    url: {file: " + urlFile + "}\n");

            CommandRun ok = CommandRun.of(
                    "notify", "test", "--connector", "soc", "--connectors", connectors.toString(), "--rules", "rules");
            receiver.answer(() -> 404);
            CommandRun refused = CommandRun.of(
                    "notify", "test", "--connector", "soc", "--connectors", connectors.toString(), "--rules", "rules");
            CommandRun unknown = CommandRun.of(
                    "notify", "test", "--connector", "nope", "--connectors", connectors.toString(), "--rules", "rules");

            assertEquals(0, ok.exitCode, ok.toString());
            assertTrue(ok.out.startsWith("sent: Slack soc answered 200"), ok.out);
            JsonNode message = receiver.requestsUnder("/services/").get(0).json();
            assertTrue(message.path("text").asText().contains("eqlwatch-test"), message.toString());
            assertEquals(1, refused.exitCode, refused.toString());
            assertTrue(refused.out.startsWith("NOT sent: Slack soc answered 404"), refused.out);
            assertTrue(!refused.out.contains("token"), "the webhook URL stays secret: " + refused.out);
            assertEquals(2, unknown.exitCode, unknown.toString());
            assertTrue(unknown.err.contains("no connector 'nope' in the connectors file; defined: soc"), unknown.err);
        }
    }
}
