package io.eqlwatch.rule;

import java.util.List;
import java.util.stream.Collectors;

/** A rule file, or a folder of them, could not be loaded; lists every problem found, not just the first. */
public class RuleLoadException extends RuntimeException {

    private final List<RuleProblem> problems;

    public RuleLoadException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining(System.lineSeparator())));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
