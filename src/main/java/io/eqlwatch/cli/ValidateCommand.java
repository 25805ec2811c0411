package io.eqlwatch.cli;

import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleProblem;
import io.eqlwatch.rule.RuleSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eqlwatch validate [PATH...]}: checks rule files without touching Elasticsearch. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks rule files and reports every problem with file, line and column."
                + " Exits 1 when any rule has a problem.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*", defaultValue = "${env:EQLWATCH_RULES:-rules}",
            description = "Rule files or folders (default: the rules folder).")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RuleLoader loader = new RuleLoader();
        int valid = 0;
        int problems = 0;
        for (Path path : paths) {
            RuleSet set = loader.load(path);
            valid += set.rules().size();
            for (RuleProblem problem : set.problems()) {
                out.println(problem);
                problems++;
            }
        }
        out.printf("%d rule(s) valid, %d problem(s)%n", valid, problems);
        return problems == 0 ? 0 : 1;
    }
}
