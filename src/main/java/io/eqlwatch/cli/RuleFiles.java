package io.eqlwatch.cli;

import io.eqlwatch.rule.RuleLoadException;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleProblem;
import io.eqlwatch.rule.RuleSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the rules a command runs. A broken file is reported (file:line:column and why) and skipped;
 * every other rule still runs, because one typo in a new file must not switch the whole folder's
 * detections off, least of all on a restart.
 */
final class RuleFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RuleFiles.class);

    private RuleFiles() {}

    /**
     * The rules that loaded, and the problems of the files that did not (already printed to {@code err}
     * and logged). Fails only when no rule at all can run.
     */
    static RuleSet loadUsable(Path rules, PrintWriter err) {
        RuleSet set = new RuleLoader().load(rules);
        if (set.rules().isEmpty()) {
            if (set.hasProblems()) {
                throw new RuleLoadException(set.problems());
            }
            throw new UserFacingException("no rules found in " + rules.toAbsolutePath()
                    + ": put rule *.yml files there or point --rules at them");
        }
        for (RuleProblem problem : set.problems()) {
            err.println("eqlwatch: skipping a rule file: " + problem);
            LOG.error("skipping a rule file: {}", problem);
        }
        if (set.hasProblems()) {
            err.println("eqlwatch: running the " + set.rules().size() + " rule(s) that loaded; fix the file(s) above"
                    + " (eqlwatch validate " + rules + " lists every problem)");
        }
        err.flush();
        return set;
    }
}
