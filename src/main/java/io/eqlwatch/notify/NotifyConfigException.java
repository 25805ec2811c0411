package io.eqlwatch.notify;

import java.util.List;

/** The connectors file, or a rule's actions, cannot be used; each problem is one line with where and why. */
public final class NotifyConfigException extends RuntimeException {

    private final List<String> problems;

    public NotifyConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
