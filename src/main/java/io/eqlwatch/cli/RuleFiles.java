package io.eqlwatch.cli;

import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoadException;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleSet;
import java.nio.file.Path;
import java.util.List;

/** Loads the rules a command runs, refusing to run a half-valid rule set. */
final class RuleFiles {

    private RuleFiles() {
    }

    static List<Rule> loadAll(Path rules) {
        RuleSet set = new RuleLoader().load(rules);
        if (set.hasProblems()) {
            throw new RuleLoadException(set.problems());
        }
        if (set.rules().isEmpty()) {
            throw new UserFacingException("no rules found in " + rules.toAbsolutePath()
                    + ": put rule *.yml files there or point --rules at them");
        }
        return set.rules();
    }
}
