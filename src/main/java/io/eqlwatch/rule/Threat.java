package io.eqlwatch.rule;

import java.util.List;

/**
 * A MITRE ATT&CK mapping, shaped as Elastic's rules and Kibana's {@code kibana.alert.rule.threat}.
 */
public record Threat(String framework, Tactic tactic, List<Technique> technique) {

    public Threat {
        technique = List.copyOf(technique);
    }

    public record Tactic(String id, String name, String reference) {}

    public record Technique(String id, String name, String reference, List<Subtechnique> subtechnique) {
        public Technique {
            subtechnique = List.copyOf(subtechnique);
        }
    }

    public record Subtechnique(String id, String name, String reference) {}
}
