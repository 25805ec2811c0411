package io.eqlwatch.alert;

import static io.eqlwatch.alert.AlertFixtures.FILE_INDEX;
import static io.eqlwatch.alert.AlertFixtures.NETWORK_INDEX;
import static io.eqlwatch.alert.AlertFixtures.RULE_UUID;
import static io.eqlwatch.alert.JsonAssert.assertDocument;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.engine.Match;
import io.eqlwatch.event.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertBuilderTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:05:00Z");
    private static final Instant NETWORK_AT = Instant.parse("2024-05-01T10:00:00Z");
    private static final String EXECUTION = "3c5e0f5e-6a8e-4f43-9d1c-111111111111";

    private final AlertBuilder builder = new AlertBuilder(AlertFixtures.smbRule());

    private AlertGroup smbGroup() {
        return builder.build(AlertFixtures.smbMatch("1", "host-0001", "WKS-0001", NETWORK_AT), EXECUTION, NOW);
    }

    // Kibana's formulas, written out here independently of AlertIds
    // (x-pack/.../rule_types/factories/utils/generate_building_block_ids.ts and generateAlertId in
    // .../factories/utils/build_alert.ts): building block i = sha256(for each block: ancestors'
    // id+index, then rule uuid; then i); shell = sha256(ancestors' id+index..., then rule uuid),
    // where the shell's ancestors are event 0, block 0, event 1, block 1 and a block's index is "".
    private static String bb(int i) {
        return sha256("net-1" + NETWORK_INDEX + RULE_UUID + "file-1" + FILE_INDEX + RULE_UUID + i);
    }

    private static String shell() {
        return sha256("net-1" + NETWORK_INDEX + bb(0) + "" + "file-1" + FILE_INDEX + bb(1) + "" + RULE_UUID);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Fields every alert of the SMB rule carries, as the issue lists them. */
    private static final String RULE_FIELDS =
            """
              "kibana.alert.status": "active",
              "kibana.alert.workflow_status": "open",
              "kibana.alert.workflow_tags": [],
              "kibana.alert.workflow_assignee_ids": [],
              "kibana.alert.severity": "medium",
              "kibana.alert.risk_score": 47,
              "kibana.alert.intended_timestamp": "2024-05-01T10:05:00.000Z",
              "kibana.alert.rule.author": ["Elastic"],
              "kibana.alert.rule.category": "Event Correlation Rule",
              "kibana.alert.rule.consumer": "siem",
              "kibana.alert.rule.description": "Executable written over SMB.",
              "kibana.alert.rule.enabled": true,
              "kibana.alert.rule.false_positives": [],
              "kibana.alert.rule.from": "now-9m",
              "kibana.alert.rule.immutable": false,
              "kibana.alert.rule.indices": ["logs-endpoint.events.file-*", "logs-endpoint.events.network-*"],
              "kibana.alert.rule.interval": "5m",
              "kibana.alert.rule.license": "Elastic License v2",
              "kibana.alert.rule.max_signals": 100,
              "kibana.alert.rule.name": "Potential Lateral Tool Transfer via SMB Share",
              "kibana.alert.rule.note": "Investigate the sender.",
              "kibana.alert.rule.parameters": {
                "author": ["Elastic"],
                "description": "Executable written over SMB.",
                "exceptions_list": [],
                "false_positives": [],
                "from": "now-9m",
                "immutable": false,
                "index": ["logs-endpoint.events.file-*", "logs-endpoint.events.network-*"],
                "language": "eql",
                "license": "Elastic License v2",
                "max_signals": 100,
                "note": "Investigate the sender.",
                "query": "sequence by host.id with maxspan=30s [network where true] [file where true]",
                "references": ["https://attack.mitre.org/techniques/T1570/"],
                "related_integrations": [],
                "required_fields": [],
                "risk_score": 47,
                "risk_score_mapping": [],
                "rule_id": "58bc134c-e8d2-4291-a552-b4b3e537c60b",
                "setup": "",
                "severity": "medium",
                "severity_mapping": [],
                "threat": THREAT,
                "to": "now",
                "type": "eql",
                "version": 108
              },
              "kibana.alert.rule.producer": "siem",
              "kibana.alert.rule.references": ["https://attack.mitre.org/techniques/T1570/"],
              "kibana.alert.rule.revision": 0,
              "kibana.alert.rule.risk_score": 47,
              "kibana.alert.rule.rule_id": "58bc134c-e8d2-4291-a552-b4b3e537c60b",
              "kibana.alert.rule.rule_type_id": "siem.eqlRule",
              "kibana.alert.rule.severity": "medium",
              "kibana.alert.rule.tags": ["Domain: Endpoint", "Tactic: Lateral Movement"],
              "kibana.alert.rule.threat": THREAT,
              "kibana.alert.rule.to": "now",
              "kibana.alert.rule.type": "eql",
              "kibana.alert.rule.uuid": "9f7c1c3e-2d1b-4e55-8a0f-3c1e2b7d6a10",
              "kibana.alert.rule.version": 108,
              "kibana.alert.rule.execution.uuid": "3c5e0f5e-6a8e-4f43-9d1c-111111111111",
              "kibana.alert.rule.execution.type": "scheduled",
              "kibana.space_ids": ["default"]
            """
                    .replace(
                            "THREAT",
                            """
              [{
                "framework": "MITRE ATT&CK",
                "tactic": {"id": "TA0008", "name": "Lateral Movement", "reference": "https://attack.mitre.org/tactics/TA0008/"},
                "technique": [
                  {"id": "T1021", "name": "Remote Services", "reference": "https://attack.mitre.org/techniques/T1021/",
                   "subtechnique": [{"id": "T1021.002", "name": "SMB/Windows Admin Shares",
                                     "reference": "https://attack.mitre.org/techniques/T1021/002/"}]},
                  {"id": "T1570", "name": "Lateral Tool Transfer", "reference": "https://attack.mitre.org/techniques/T1570/"}
                ]
              }]""");

    private static final String HOST =
            """
              "agent": {"id": "agent-host-0001", "type": "endpoint"},
              "host": {"id": "host-0001", "name": "WKS-0001", "os": {"type": "windows"}},
              "process": {"pid": 4, "name": "System", "entity_id": "ent-system-host-0001"},
            """;

    @Test
    void aSequenceGivesOneBuildingBlockPerEventThenTheShell() {
        AlertGroup group = smbGroup();

        assertEquals(
                List.of(AlertDocument.Role.BUILDING_BLOCK, AlertDocument.Role.BUILDING_BLOCK, AlertDocument.Role.SHELL),
                group.documents().stream().map(AlertDocument::role).toList());
        assertEquals(List.of(bb(0), bb(1), shell()), group.documentIds());
        assertEquals(shell(), group.id());
        assertEquals(NETWORK_AT, group.originalTime());
    }

    @Test
    void theNetworkBuildingBlockCarriesItsEventAndKibanasFields() {
        assertDocument(
                """
                {
                  "@timestamp": "2024-05-01T10:05:00.000Z",
                """
                        + HOST
                        + """
                  "event": {"category": ["network"], "type": ["start"], "action": "connection_accepted",
                            "module": "endpoint", "dataset": "endpoint.events.network"},
                  "source": {"ip": "10.0.0.5", "port": 50123},
                  "destination": {"ip": "10.0.0.9", "port": 445},
                  "network": {"direction": "incoming", "transport": "tcp"},
                  "event.kind": "signal",
                  "kibana.alert.uuid": "BB0",
                  "kibana.alert.ancestors": [
                    {"id": "net-1", "index": ".ds-logs-endpoint.events.network-default-2024.05.01-000001", "depth": 0, "type": "event"}
                  ],
                  "kibana.alert.depth": 1,
                  "kibana.alert.original_time": "2024-05-01T10:00:00.000Z",
                  "kibana.alert.original_event.category": ["network"],
                  "kibana.alert.original_event.type": ["start"],
                  "kibana.alert.original_event.action": "connection_accepted",
                  "kibana.alert.original_event.kind": "event",
                  "kibana.alert.original_event.module": "endpoint",
                  "kibana.alert.original_event.dataset": "endpoint.events.network",
                  "kibana.alert.reason": "network event with process System, source 10.0.0.5:50123, destination 10.0.0.9:445, on WKS-0001 created medium alert Potential Lateral Tool Transfer via SMB Share.",
                  "kibana.alert.building_block_type": "default",
                  "kibana.alert.group.id": "SHELL",
                  "kibana.alert.group.index": 0,
                """
                                .replace("BB0", bb(0))
                                .replace("SHELL", shell())
                        + RULE_FIELDS + "}",
                smbGroup().documents().get(0).source());
    }

    @Test
    void theFileBuildingBlockExpandsDottedKeysAndKeepsItsOwnFields() {
        assertDocument(
                """
                {
                  "@timestamp": "2024-05-01T10:05:00.000Z",
                """
                        + HOST
                        + """
                  "event": {"category": "file", "type": ["creation"], "action": "creation",
                            "module": "endpoint", "dataset": "endpoint.events.file"},
                  "file": {"path": "C:\\\\Windows\\\\Temp\\\\psexesvc.exe", "name": "psexesvc.exe", "extension": "exe",
                           "Ext": {"header_bytes": "4d5a90000300"}},
                  "user": {"name": "SYSTEM", "domain": "NT AUTHORITY"},
                  "event.kind": "signal",
                  "kibana.alert.uuid": "BB1",
                  "kibana.alert.ancestors": [
                    {"id": "file-1", "index": ".ds-logs-endpoint.events.file-default-2024.05.01-000001", "depth": 0, "type": "event"}
                  ],
                  "kibana.alert.depth": 1,
                  "kibana.alert.original_time": "2024-05-01T10:00:12.345Z",
                  "kibana.alert.original_event.category": "file",
                  "kibana.alert.original_event.type": ["creation"],
                  "kibana.alert.original_event.action": "creation",
                  "kibana.alert.original_event.kind": "event",
                  "kibana.alert.original_event.module": "endpoint",
                  "kibana.alert.original_event.dataset": "endpoint.events.file",
                  "kibana.alert.reason": "file event with process System, file psexesvc.exe, by SYSTEM on WKS-0001 created medium alert Potential Lateral Tool Transfer via SMB Share.",
                  "kibana.alert.building_block_type": "default",
                  "kibana.alert.group.id": "SHELL",
                  "kibana.alert.group.index": 1,
                """
                                .replace("BB1", bb(1))
                                .replace("SHELL", shell())
                        + RULE_FIELDS + "}",
                smbGroup().documents().get(1).source());
    }

    @Test
    void theShellCarriesWhatAllEventsShareAndDescendsFromEventsAndBlocks() {
        assertDocument(
                """
                {
                  "@timestamp": "2024-05-01T10:05:00.000Z",
                """
                        + HOST
                        + """
                  "event": {"module": "endpoint"},
                  "event.kind": "signal",
                  "kibana.alert.uuid": "SHELL",
                  "kibana.alert.ancestors": [
                    {"id": "net-1", "index": ".ds-logs-endpoint.events.network-default-2024.05.01-000001", "depth": 0, "type": "event"},
                    {"id": "BB0", "index": "", "depth": 1, "type": "signal", "rule": "9f7c1c3e-2d1b-4e55-8a0f-3c1e2b7d6a10"},
                    {"id": "file-1", "index": ".ds-logs-endpoint.events.file-default-2024.05.01-000001", "depth": 0, "type": "event"},
                    {"id": "BB1", "index": "", "depth": 1, "type": "signal", "rule": "9f7c1c3e-2d1b-4e55-8a0f-3c1e2b7d6a10"}
                  ],
                  "kibana.alert.depth": 2,
                  "kibana.alert.original_time": "2024-05-01T10:00:00.000Z",
                  "kibana.alert.original_event.kind": "event",
                  "kibana.alert.original_event.module": "endpoint",
                  "kibana.alert.reason": "event with process System, on WKS-0001 created medium alert Potential Lateral Tool Transfer via SMB Share.",
                  "kibana.alert.group.id": "SHELL",
                """
                                .replace("BB0", bb(0))
                                .replace("BB1", bb(1))
                                .replace("SHELL", shell())
                        + RULE_FIELDS + "}",
                smbGroup().documents().get(2).source());
    }

    @Test
    void idsMatchTheValuesKibanasOwnTestsPublish() {
        // Kibana's build_alert_group_from_sequence.test.ts builds a sequence of the events
        // d5e8eb51-... and 619389b2-... (index myFakeSignalIndex) with rule uuid
        // 04128c15-0d1b-4716-a4c5-46997ac7f3bd and expects these alert URLs ids; equal values
        // here mean eqlwatch and Kibana give the same events the same alert ids.
        String rule = "04128c15-0d1b-4716-a4c5-46997ac7f3bd";
        List<Ancestor> e0 = List.of(Ancestor.event("d5e8eb51-a6a0-456d-8a15-4b79bfec3d71", "myFakeSignalIndex"));
        List<Ancestor> e1 = List.of(Ancestor.event("619389b2-b077-400e-b40b-abde20d675d3", "myFakeSignalIndex"));
        List<String> blocks = AlertIds.buildingBlockIds(List.of(e0, e1), rule);
        assertEquals(
                List.of(
                        "f2db3574eaf8450e3f4d1cf4f416d70b110b035ae0a7a00026242df07f0a6c90",
                        "1dbc416333244efbda833832eb83f13ea5d980a33c2f981ca8d2b35d82a045da"),
                blocks);
        String shellId = AlertIds.derivedAlertId(
                List.of(
                        e0.get(0),
                        Ancestor.buildingBlock(blocks.get(0), rule),
                        e1.get(0),
                        Ancestor.buildingBlock(blocks.get(1), rule)),
                rule);
        assertEquals("1b7d06954e74257140f3bf73f139078483f9658fe829fd806cc307fc0388fb23", shellId);
    }

    @Test
    void idsDependOnTheEventsAndTheRuleButNotOnTheRunOrTheClock() {
        AlertGroup first = smbGroup();
        AlertGroup later = new AlertBuilder(AlertFixtures.smbRule())
                .build(
                        AlertFixtures.smbMatch("1", "host-0001", "WKS-0001", NETWORK_AT),
                        "another-execution",
                        NOW.plusSeconds(300));
        assertEquals(first.documentIds(), later.documentIds());

        AlertGroup otherEvents =
                builder.build(AlertFixtures.smbMatch("2", "host-0001", "WKS-0001", NETWORK_AT), EXECUTION, NOW);
        assertTrue(otherEvents.documentIds().stream().noneMatch(first.documentIds()::contains));
    }

    @Test
    void anEventInTwoSequencesGetsADistinctBuildingBlockInEach() {
        Event network = AlertFixtures.networkEvent("net-1", "host-0001", "WKS-0001", NETWORK_AT);
        Event fileA = AlertFixtures.fileEvent("file-a", "host-0001", "WKS-0001", NETWORK_AT.plusSeconds(1));
        Event fileB = AlertFixtures.fileEvent("file-b", "host-0001", "WKS-0001", NETWORK_AT.plusSeconds(2));
        AlertGroup a = builder.build(new Match(List.of(network, fileA), List.of()), EXECUTION, NOW);
        AlertGroup b = builder.build(new Match(List.of(network, fileB), List.of()), EXECUTION, NOW);
        assertNotEquals(a.documentIds().get(0), b.documentIds().get(0));
    }

    @Test
    void anEventQueryGivesOneAlertAtDepthOneWithKibanasSingleEventId() {
        AlertBuilder events = new AlertBuilder(AlertFixtures.eventRule());
        Event file = AlertFixtures.fileEvent("file-9", "host-0002", "WKS-0002", NETWORK_AT);
        AlertGroup group = events.build(new Match(List.of(file), List.of()), EXECUTION, NOW);

        // Kibana's generateId(index, id, version, `${spaceId}:${ruleUuid}`) in
        // x-pack/.../rule_types/utils/utils.ts, used by wrap_hits_factory.ts; version 1.
        String expectedId = sha256(FILE_INDEX + "file-9" + "1" + "default:" + "0b9a1f4e-1111-4c2d-9e8f-000000000001");
        assertEquals(List.of(expectedId), group.documentIds());
        AlertDocument alert = group.primary();
        assertEquals(AlertDocument.Role.SINGLE, alert.role());
        assertEquals(expectedId, alert.source().get("kibana.alert.uuid").asText());
        assertEquals(1, alert.source().get("kibana.alert.depth").asInt());
        assertEquals(
                JsonAssert.parse(
                        "[{\"id\":\"file-9\",\"index\":\"" + FILE_INDEX + "\",\"depth\":0,\"type\":\"event\"}]"),
                alert.source().get("kibana.alert.ancestors"));
        assertTrue(
                !alert.source().has("kibana.alert.group.id") && !alert.source().has("kibana.alert.building_block_type"),
                "an event query's alert is neither part of a group nor a building block");
        assertEquals(
                "file event with process System, file psexesvc.exe, by SYSTEM on WKS-0002 created medium alert "
                        + "Potential Lateral Tool Transfer via SMB Share.",
                alert.source().get("kibana.alert.reason").asText());
    }

    @Test
    void theSpaceGoesIntoSpaceIdsAndIntoSingleEventIds() {
        Event file = AlertFixtures.fileEvent("file-9", "host-0002", "WKS-0002", NETWORK_AT);
        AlertGroup inDefault =
                new AlertBuilder(AlertFixtures.eventRule()).build(new Match(List.of(file), List.of()), EXECUTION, NOW);
        AlertGroup inSoc = new AlertBuilder(AlertFixtures.eventRule(), "soc")
                .build(new Match(List.of(file), List.of()), EXECUTION, NOW);
        assertEquals(
                "[\"soc\"]", inSoc.primary().source().get("kibana.space_ids").toString());
        assertNotEquals(inDefault.id(), inSoc.id());
    }

    @Test
    void anEventQueryMatchWithSeveralEventsIsRefused() {
        AlertBuilder events = new AlertBuilder(AlertFixtures.eventRule());
        Match two = AlertFixtures.smbMatch("1", "host-0001", "WKS-0001", NETWORK_AT);
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> events.build(two, EXECUTION, NOW));
        assertTrue(
                error.getMessage().contains("event query") && error.getMessage().contains("2 events"),
                error.getMessage());
    }

    @Test
    void anEventWithoutAnIdIsRefusedWithTheRuleAndTime() {
        Event anonymous = new Event(null, NETWORK_INDEX, NETWORK_AT, null, Map.of());
        Event file = AlertFixtures.fileEvent("file-1", "host-0001", "WKS-0001", NETWORK_AT);
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> builder.build(new Match(List.of(anonymous, file), List.of()), EXECUTION, NOW));
        assertTrue(
                error.getMessage().contains(AlertFixtures.RULE_NAME)
                        && error.getMessage().contains("2024-05-01T10:00:00Z"),
                error.getMessage());
    }

    @Test
    void timestampsAreUtcWithMilliseconds() {
        assertEquals("2024-05-01T10:00:00.123Z", AlertBuilder.format(Instant.parse("2024-05-01T10:00:00.123456789Z")));
        assertEquals("2024-05-01T10:00:00.000Z", AlertBuilder.format(Instant.parse("2024-05-01T10:00:00Z")));
    }
}
