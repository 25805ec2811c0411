package io.eqlwatch.cli;

import io.eqlwatch.rule.RuleProblem;
import io.eqlwatch.rule.importer.ImportOutcome;
import io.eqlwatch.rule.importer.ImportReport;
import io.eqlwatch.rule.importer.KibanaActionImport;
import io.eqlwatch.rule.importer.RuleImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eqlwatch import PATH... --to DIR}: brings Elastic's rules into eqlwatch's YAML. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Converts Elastic detection-rules TOML files and Kibana rule exports (NDJSON, from the Rules"
                    + " page or the Saved Objects page) into eqlwatch rule YAML, one file per rule.",
            "Rules of other types or languages are skipped with the reason; fields with no meaning in eqlwatch"
                    + " are listed. Every written file is checked as 'validate' would."
                    + " Exits 1 when a source could not be read or a written rule does not validate."
        })
final class ImportCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "PATH",
            arity = "1..*",
            description = "Rule files (.toml, .ndjson, .json) or folders searched for *.toml and *.ndjson.")
    List<Path> inputs;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "DIR",
            description =
                    "Folder to write the rule YAML files to (created if missing; files of the same name are replaced).")
    Path target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ImportReport report;
        try {
            report = new RuleImporter().importAll(inputs, target);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (ImportOutcome.Unreadable u : report.unreadable()) {
            out.println("unreadable " + u.source() + ": " + u.reason());
        }
        for (ImportOutcome.Skipped s : report.skipped()) {
            out.println("skipped " + s.source() + (s.name() == null ? "" : " (" + s.name() + ")") + ": " + s.reason());
        }
        for (java.nio.file.Path list : report.exceptionLists()) {
            out.println("exception list written to " + list);
        }
        out.printf(
                "imported %d rule(s) into %s; %d skipped, %d unreadable%n",
                report.written().size(),
                target,
                report.skipped().size(),
                report.unreadable().size());
        if (!report.dropped().isEmpty()) {
            out.println("fields not kept (no meaning in eqlwatch), with the number of rules that had them:");
            for (Map.Entry<String, Integer> field : report.droppedByFrequency()) {
                out.printf("  %s: %d%n", field.getKey(), field.getValue());
            }
        }
        writeConnectors(report.notifications(), out);
        if (!report.problems().isEmpty()) {
            out.println("written rules that do not validate:");
            for (RuleProblem problem : report.problems()) {
                out.println("  " + problem);
            }
        }
        out.flush();
        return report.unreadable().isEmpty() && report.problems().isEmpty() ? 0 : 1;
    }

    /**
     * Writes the exports' connectors beside the rules folder, as {@code connectors.yml}, or as
     * {@code connectors.imported.yml} when a connectors file is already there (it is never replaced).
     */
    private void writeConnectors(KibanaActionImport.Result notifications, PrintWriter out) {
        int rulesWithActions = notifications.actionsByRule().size();
        if (rulesWithActions > 0) {
            out.printf("actions imported for %d rule(s)%n", rulesWithActions);
        }
        if (!notifications.connectorsYaml().isEmpty()) {
            Path folder = target.toAbsolutePath().getParent();
            Path file = folder.resolve("connectors.yml");
            if (Files.exists(file)) {
                file = folder.resolve("connectors.imported.yml");
            }
            try {
                Files.writeString(file, notifications.connectorsYaml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserFacingException("cannot write " + file + ": " + e.getMessage(), e);
            }
            out.println("connectors written to " + file);
        }
        if (!notifications.missingSecrets().isEmpty()) {
            out.println("secrets Kibana does not export; set these environment variables:");
            notifications.missingSecrets().forEach(secret -> out.println("  " + secret));
        }
        if (!notifications.unmapped().isEmpty()) {
            out.println("notification settings not converted:");
            notifications.unmapped().forEach(line -> out.println("  " + line));
        }
    }
}
