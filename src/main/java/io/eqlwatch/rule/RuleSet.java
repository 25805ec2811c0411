package io.eqlwatch.rule;

import java.util.List;

/** The rules of a folder that loaded, and the problems of those that did not. */
public record RuleSet(List<Rule> rules, List<RuleProblem> problems) {
    public RuleSet {
        rules = List.copyOf(rules);
        problems = List.copyOf(problems);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }
}
