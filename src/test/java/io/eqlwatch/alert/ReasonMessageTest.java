package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The sentence shapes of Kibana's alertReasonDescription message. */
class ReasonMessageTest {

    private static String reason(String json) {
        return ReasonMessage.build(JsonAssert.parse(json), "high", "rule-name");
    }

    @Test
    void withoutAnyKnownFieldOnlyTheSeverityAndNameRemain() {
        assertEquals("event created high alert rule-name.", reason("{}"));
    }

    @Test
    void aSourceWithoutPortHasNoTrailingComma() {
        // Kibana's own expectation in build_alert_group_from_sequence.test.ts
        assertEquals(
                "event with source 127.0.0.1 created high alert rule-name.",
                reason("{\"source\": {\"ip\": \"127.0.0.1\"}}"));
    }

    @Test
    void theFullSentenceKeepsKibanasOrderAndPunctuation() {
        assertEquals(
                "process, network event with process cmd.exe, parent process explorer.exe, file a.exe,"
                        + " source 10.0.0.5:50123, destination 10.0.0.9:445, by alice on WKS-1 created high alert rule-name.",
                reason(
                        """
                        {"event": {"category": ["process", "network"]},
                         "process": {"name": "cmd.exe", "parent": {"name": "explorer.exe"}},
                         "file.name": "a.exe",
                         "source": {"ip": "10.0.0.5", "port": 50123},
                         "destination": {"ip": "10.0.0.9", "port": 445},
                         "user": {"name": "alice"},
                         "host": {"name": "WKS-1"}}
                        """));
    }

    @Test
    void userAndHostAloneDoNotMakeAWithClause() {
        assertEquals(
                "authentication event by alice on WKS-1 created high alert rule-name.",
                reason("{\"event.category\": \"authentication\", \"user.name\": \"alice\", \"host.name\": \"WKS-1\"}"));
    }

    @Test
    void aPortWithoutAddressStillPrintsAfterTheColon() {
        assertEquals("event with:445, created high alert rule-name.", reason("{\"destination\": {\"port\": 445}}"));
    }

    @Test
    void multipleValuesAreJoinedAndKibanasDashFillerAndEmptyValuesAreIgnored() {
        assertEquals(
                "event with process a.exe, b.exe, created high alert rule-name.",
                reason(
                        "{\"process.name\": [\"a.exe\", \"b.exe\"], \"user.name\": \"-\", \"host.name\": \"\", \"file.name\": []}"));
    }
}
