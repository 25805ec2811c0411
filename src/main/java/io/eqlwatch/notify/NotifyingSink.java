package io.eqlwatch.notify;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.AlertWriter;
import io.eqlwatch.alert.WriteResult;
import io.eqlwatch.rule.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An alert sink that records the notifications the groups owe before handing the groups on. The
 * run loop gives a sink only the groups it found new (and within {@code max_signals}), so each is
 * staged exactly when its alert is about to be created: if staging fails, nothing is written and the
 * execution fails with the checkpoint unmoved; if the process dies between the two, the re-run finds
 * the alerts still new and stages again, which changes nothing.
 */
final class NotifyingSink implements AlertSink {

    private final AlertSink delegate;
    private final OutboxStager stager;
    private final Function<String, Rule> rules;

    NotifyingSink(AlertSink delegate, OutboxStager stager, Function<String, Rule> rules) {
        this.delegate = delegate;
        this.stager = stager;
        this.rules = rules;
    }

    @Override
    public Set<String> existing(Collection<String> documentIds) throws AlertWriteException {
        return delegate.existing(documentIds);
    }

    @Override
    public WriteResult write(List<AlertGroup> groups) throws AlertWriteException {
        Map<String, List<AlertGroup>> byRule = new LinkedHashMap<>();
        for (AlertGroup group : groups) {
            byRule.computeIfAbsent(
                            group.primary()
                                    .source()
                                    .path("kibana.alert.rule.rule_id")
                                    .asText(),
                            k -> new ArrayList<>())
                    .add(group);
        }
        for (Map.Entry<String, List<AlertGroup>> entry : byRule.entrySet()) {
            Rule rule = rules.apply(entry.getKey());
            if (rule != null) {
                List<AlertGroup> ruleGroups = entry.getValue();
                String executionId = ruleGroups
                        .get(0)
                        .primary()
                        .source()
                        .path("kibana.alert.rule.execution.uuid")
                        .asText();
                stager.stageNew(rule, executionId, ruleGroups);
            }
        }
        return delegate.write(groups);
    }

    @Override
    public Optional<AlertWriter> store() {
        return delegate.store();
    }
}
