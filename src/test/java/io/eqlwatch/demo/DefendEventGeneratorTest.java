package io.eqlwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.event.Event;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DefendEventGeneratorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /**
     * The rule's conditions written out by hand for a two-event scenario, so each scenario's label is checked
     * independently of the engine under test elsewhere.
     */
    private static boolean networkStage(Event e) {
        return e.values("event.category").contains("network")
                && "windows".equals(e.first("host.os.type"))
                && e.values("event.type").contains("start")
                && ((Number) e.first("process.pid")).longValue() == 4
                && ((Number) e.first("destination.port")).longValue() == 445
                && Set.of("incoming", "ingress")
                        .contains(((String) e.first("network.direction")).toLowerCase(Locale.ROOT))
                && "tcp".equals(e.first("network.transport"))
                && !isLoopback((String) e.first("source.ip"));
    }

    private static boolean fileStage(Event e) {
        String header = ((String) e.first("file.Ext.header_bytes")).toLowerCase(Locale.ROOT);
        Object extension = e.first("file.extension");
        return e.values("event.category").contains("file")
                && "windows".equals(e.first("host.os.type"))
                && (e.values("event.type").contains("creation")
                        || e.values("event.type").contains("change"))
                && ((Number) e.first("process.pid")).longValue() == 4
                && (header.startsWith("4d5a")
                        || extension != null
                                && Set.of("exe", "scr", "pif", "com", "dll")
                                        .contains(((String) extension).toLowerCase(Locale.ROOT)));
    }

    private static boolean isLoopback(String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip);
            return address.equals(InetAddress.getByName("127.0.0.1")) || address.equals(InetAddress.getByName("::1"));
        } catch (UnknownHostException e) {
            throw new AssertionError(ip, e);
        }
    }

    private static Event event(GeneratedEvent g) {
        return new Event("id", g.index("default"), g.timestamp(), null, g.document());
    }

    private static boolean ruleAlerts(Scenario s) {
        if (s.events().size() != 2) {
            return false;
        }
        Event first = event(s.events().get(0));
        Event second = event(s.events().get(1));
        return networkStage(first)
                && fileStage(second)
                && first.first("host.id").equals(second.first("host.id"))
                && first.first("process.entity_id").equals(second.first("process.entity_id"))
                && !second.timestamp().isBefore(first.timestamp())
                && Duration.between(first.timestamp(), second.timestamp()).compareTo(Duration.ofSeconds(30)) <= 0;
    }

    @ParameterizedTest
    @EnumSource(ScenarioKind.class)
    void eachScenarioIsLabelledAsTheRuleJudgesIt(ScenarioKind kind) {
        Scenario scenario = new DefendEventGenerator(7).scenario(kind, T0);
        assertEquals(kind.shouldAlert(), ruleAlerts(scenario), kind + ": " + kind.description());
        assertEquals(kind, scenario.kind());
    }

    @Test
    void everyLookAlikeBreaksOneConditionOnly() {
        DefendEventGenerator generator = new DefendEventGenerator(3);
        Scenario port139 = generator.scenario(ScenarioKind.PORT_139, T0);
        assertEquals(139L, ((Number) event(port139.events().get(0)).first("destination.port")).longValue());
        assertTrue(fileStage(event(port139.events().get(1))), "the file half of the port-139 case is an attack file");

        Scenario nonExe = generator.scenario(ScenarioKind.NON_EXECUTABLE_FILE, T0);
        assertTrue(networkStage(event(nonExe.events().get(0))));
        assertEquals("txt", event(nonExe.events().get(1)).first("file.extension"));

        Scenario fileFirst = generator.scenario(ScenarioKind.FILE_BEFORE_NETWORK, T0);
        assertEquals(DefendDataset.FILE, fileFirst.events().get(0).dataset());
        assertTrue(networkStage(event(fileFirst.events().get(1))));
        assertTrue(fileStage(event(fileFirst.events().get(0))));

        Scenario otherHost = generator.scenario(ScenarioKind.OTHER_HOST, T0);
        assertNotEquals(
                event(otherHost.events().get(0)).first("host.id"),
                event(otherHost.events().get(1)).first("host.id"));
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        List<Scenario> a = new DefendEventGenerator(42).everyScenario(T0, Duration.ofMinutes(1));
        List<Scenario> b = new DefendEventGenerator(42).everyScenario(T0, Duration.ofMinutes(1));
        List<Scenario> c = new DefendEventGenerator(43).everyScenario(T0, Duration.ofMinutes(1));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(
                new DefendEventGenerator(42).noise(T0, T0.plusSeconds(600), 50),
                new DefendEventGenerator(42).noise(T0, T0.plusSeconds(600), 50));
    }

    @Test
    void scenariosRunOnHostsOfTheirOwn() {
        List<Scenario> all = new DefendEventGenerator(1).everyScenario(T0, Duration.ZERO);
        Set<String> hosts = new HashSet<>();
        for (Scenario s : all) {
            assertTrue(hosts.add(s.hostId()), "host reused: " + s.hostName());
        }
    }

    @Test
    void noiseNeverStartsASequence() {
        List<GeneratedEvent> noise = new DefendEventGenerator(9).noise(T0, T0.plusSeconds(3600), 2000);
        assertEquals(2000, noise.size());
        for (GeneratedEvent g : noise) {
            Event e = event(g);
            if (g.dataset() == DefendDataset.NETWORK) {
                assertFalse(networkStage(e), () -> "noise matches stage 1: " + g.document());
            }
            assertFalse(g.timestamp().isBefore(T0) || !g.timestamp().isBefore(T0.plusSeconds(3600)));
        }
        assertTrue(noise.stream().anyMatch(g -> g.dataset() == DefendDataset.FILE));
        assertTrue(noise.stream().anyMatch(g -> "linux".equals(event(g).first("host.os.type"))));
        for (int i = 1; i < noise.size(); i++) {
            assertFalse(noise.get(i).timestamp().isBefore(noise.get(i - 1).timestamp()));
        }
    }

    @Test
    void documentsHaveTheDefendShape() {
        Scenario attack = new DefendEventGenerator(5).attack(T0);
        Event network = event(attack.events().get(0));
        Event file = event(attack.events().get(1));
        assertEquals("endpoint", network.first("event.module"));
        assertEquals("endpoint.events.network", network.first("event.dataset"));
        assertEquals("endpoint.events.network", network.first("data_stream.dataset"));
        assertEquals("endpoint.events.file", file.first("data_stream.dataset"));
        assertEquals("event", network.first("event.kind"));
        assertEquals("System", network.first("process.name"));
        assertEquals(List.of("network"), network.values("event.category"));
        assertEquals("connection_accepted", network.first("event.action"));
        assertEquals(network.first("process.entity_id"), file.first("process.entity_id"));
        assertEquals(network.first("host.id"), file.first("host.id"));
        assertEquals(attack.hostId(), network.first("host.id"));
        assertEquals("windows", network.first("host.os.family"));
        assertTrue(network.values("host.ip").contains(network.first("destination.ip")));
        assertEquals("4d5a", ((String) file.first("file.Ext.header_bytes")).substring(0, 4));
        assertEquals("exe", file.first("file.extension"));
        assertTrue(((String) file.first("file.path")).endsWith("\\" + file.first("file.name")));
        assertEquals("SYSTEM", file.first("user.name"));
        assertTrue(Instant.parse((String) network.first("event.ingested")).isAfter(network.timestamp()));
        assertEquals("logs-endpoint.events.file-default", attack.events().get(1).index("default"));
    }
}
