package io.eqlwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eqlwatch.rule.AlertSuppression;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionPlanTest {

    private static final Instant T0 = Instant.parse("2026-11-28T11:50:00Z");
    private static final String EXECUTION = "exec-1";
    private static final AlertBuilder BUILDER = new AlertBuilder(AlertFixtures.smbRule());

    private static AlertGroup transfer(int i, String host, Instant at) {
        return BUILDER.build(
                AlertFixtures.smbMatch(host + "-t" + i, host, "name-" + host, at), EXECUTION, T0.plusSeconds(900));
    }

    private static List<AlertGroup> transfers(int count, String host) {
        List<AlertGroup> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(transfer(i, host, T0.plusSeconds(20L * i)));
        }
        return out;
    }

    private static SuppressionPlan plan(Duration duration) {
        return new SuppressionPlan(
                new AlertSuppression(List.of("host.id"), duration, true), AlertFixtures.RULE_UUID, "default");
    }

    @Test
    void twentyTransfersFromOneHostAreOneAlertThatCountsNineteenSuppressed() {
        SuppressionPlan.Outcome outcome =
                plan(Duration.ofHours(1)).plan(transfers(20, "h1"), Map.of(), EXECUTION, T0.plusSeconds(900), 100);

        assertEquals(1, outcome.fresh().size());
        AlertGroup alert = outcome.fresh().get(0);
        JsonNode shell = alert.primary().source();
        assertEquals(
                "host.id",
                shell.path(SuppressionPlan.TERMS).get(0).path("field").asText());
        assertEquals(
                "h1",
                shell.path(SuppressionPlan.TERMS).get(0).path("value").get(0).asText());
        assertEquals(0, shell.path(SuppressionPlan.DOCS_COUNT).asInt(), "Kibana starts a new alert at 0");
        assertEquals(1, outcome.folds().size());
        assertEquals(19, outcome.folds().get(0).count(), "the other 19 are folded into it");
        assertEquals(alert.id(), outcome.folds().get(0).alertId());
        assertEquals(3, alert.documents().size(), "the first transfer's building blocks and shell");
    }

    @Test
    void groupsAreKeptApartByTheirValues() {
        List<AlertGroup> groups = new ArrayList<>(transfers(3, "h1"));
        groups.addAll(transfers(2, "h2"));
        SuppressionPlan.Outcome outcome = plan(Duration.ofHours(1)).plan(groups, Map.of(), EXECUTION, T0, 100);
        assertEquals(2, outcome.fresh().size());
        Map<String, Integer> folded = new HashMap<>();
        outcome.folds().forEach(f -> folded.put(f.alertId(), f.count()));
        assertEquals(
                List.of(2, 1),
                outcome.fresh().stream().map(g -> folded.get(g.id())).toList());
    }

    @Test
    void theSameBatchAgainIsAllDuplicates() {
        SuppressionPlan plan = plan(Duration.ofHours(1));
        SuppressionPlan.Outcome first = plan.plan(transfers(5, "h1"), Map.of(), EXECUTION, T0, 100);
        SuppressionPlan.Outcome again = plan.plan(transfers(5, "h1"), first.latest(), "exec-2", T0, 100);
        assertEquals(0, again.fresh().size());
        assertEquals(0, again.folds().size());
        assertEquals(5, again.duplicates());
    }

    @Test
    void anOverlappingRerunCountsOnlyTheNewMatches() {
        SuppressionPlan plan = plan(Duration.ofHours(1));
        List<AlertGroup> all = transfers(8, "h1");
        SuppressionPlan.Outcome first = plan.plan(all.subList(0, 5), Map.of(), EXECUTION, T0, 100);
        SuppressionPlan.Outcome second = plan.plan(all.subList(2, 8), first.latest(), "exec-2", T0, 100);
        assertEquals(3, second.duplicates());
        assertEquals(1, second.folds().size());
        assertEquals(3, second.folds().get(0).count());
        assertEquals(first.fresh().get(0).id(), second.folds().get(0).alertId());
    }

    @Test
    void aClosedOrAcknowledgedAlertAbsorbsNothing() {
        SuppressionPlan plan = plan(Duration.ofHours(1));
        List<AlertGroup> all = transfers(3, "h1");
        SuppressionPlan.Outcome first = plan.plan(all.subList(0, 1), Map.of(), EXECUTION, T0, 100);
        Map<String, SuppressionPlan.Latest> closed = new HashMap<>();
        first.latest()
                .forEach((k, v) -> closed.put(
                        k,
                        new SuppressionPlan.Latest(
                                v.alertId(), v.index(), false, v.executionUuid(), v.end(), v.countedTo())));
        SuppressionPlan.Outcome second = plan.plan(all.subList(1, 3), closed, EXECUTION, T0, 100);
        assertEquals(1, second.fresh().size(), "a new alert");
        assertEquals(1, second.folds().size());
        assertEquals(second.fresh().get(0).id(), second.folds().get(0).alertId(), "which absorbs the third");
    }

    @Test
    void aMatchLaterThanTheDurationAfterTheLastFoldedOneStartsANewAlert() {
        SuppressionPlan plan = plan(Duration.ofSeconds(30));
        List<AlertGroup> groups = List.of(
                transfer(0, "h1", T0),
                transfer(1, "h1", T0.plusSeconds(25)),
                transfer(2, "h1", T0.plusSeconds(50)),
                transfer(3, "h1", T0.plusSeconds(120)));
        SuppressionPlan.Outcome outcome = plan.plan(groups, Map.of(), EXECUTION, T0, 100);
        assertEquals(2, outcome.fresh().size(), "the 25 s gaps chain; the 70 s gap does not");
        assertEquals(2, outcome.folds().get(0).count());
    }

    @Test
    void withoutADurationOnlyTheSameExecutionFolds() {
        SuppressionPlan plan = plan(null);
        List<AlertGroup> all = transfers(4, "h1");
        SuppressionPlan.Outcome first = plan.plan(all.subList(0, 2), Map.of(), EXECUTION, T0, 100);
        assertEquals(1, first.folds().get(0).count());
        SuppressionPlan.Outcome sameRun = plan.plan(all.subList(2, 3), first.latest(), EXECUTION, T0, 100);
        assertEquals(0, sameRun.fresh().size());
        SuppressionPlan.Outcome nextRun = plan.plan(all.subList(3, 4), sameRun.latest(), "exec-2", T0, 100);
        assertEquals(1, nextRun.fresh().size());
    }

    @Test
    void aMissingGroupByFieldIsAGroupOfItsOwnUnlessTheRuleSaysNotToSuppress() {
        SuppressionPlan suppress = new SuppressionPlan(
                new AlertSuppression(List.of("user.name"), null, true), AlertFixtures.RULE_UUID, "default");
        AlertGroup group = transfer(0, "h1", T0);
        assertTrue(suppress.terms(group).get(0).get("value").isNull());
        assertEquals(false, suppress.unsuppressed(suppress.terms(group)));
        SuppressionPlan doNot = new SuppressionPlan(
                new AlertSuppression(List.of("user.name"), null, false), AlertFixtures.RULE_UUID, "default");
        assertEquals(true, doNot.unsuppressed(doNot.terms(group)));
    }

    @Test
    void theCapLimitsNewAlertsAndWhatWouldFoldIntoADroppedOne() {
        List<AlertGroup> groups = new ArrayList<>(transfers(2, "h1"));
        groups.addAll(transfers(3, "h2"));
        SuppressionPlan.Outcome outcome = plan(Duration.ofHours(1)).plan(groups, Map.of(), EXECUTION, T0, 1);
        assertEquals(1, outcome.fresh().size());
        assertEquals(3, outcome.dropped(), "h2's three transfers wait for the next run");
        assertEquals(1, outcome.folds().size());
    }
}
