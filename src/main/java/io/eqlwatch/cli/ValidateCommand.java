package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.eql.analysis.Problem;
import io.eqlwatch.eql.analysis.Verifier;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.rule.Rule;
import io.eqlwatch.rule.RuleLoader;
import io.eqlwatch.rule.RuleProblem;
import io.eqlwatch.rule.RuleSet;
import io.eqlwatch.source.FieldMappings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eqlwatch validate [PATH...]}: checks rule files offline, and with {@code --es-url} also against the
 * mappings of each rule's indices on that cluster, as Elasticsearch's EQL would check the query before running it.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks rule files and reports every problem with file, line and column."
                    + " Exits 1 when any rule has a problem.",
            "With --es-url (or EQLWATCH_ES_URL), each rule's query is also checked against the mappings of its"
                    + " indices on that cluster: a field that none of them maps is reported as an unknown column"
                    + " (?field may be missing). A rule whose indices match nothing gets a warning, not a problem."
        })
final class ValidateCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "PATH",
            arity = "0..*",
            defaultValue = "${env:EQLWATCH_RULES:-rules}",
            description = "Rule files or folders (default: the rules folder).")
    List<Path> paths;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RuleLoader loader = new RuleLoader();
        boolean againstCluster = spec.commandLine().getParseResult().hasMatchedOption("--es-url")
                || System.getenv("EQLWATCH_ES_URL") != null;
        ElasticsearchConnection conn = againstCluster ? ConnectedServices.connection(connection) : null;
        ElasticsearchClient client = againstCluster ? ElasticsearchClients.create(conn) : null;
        int valid = 0;
        int problems = 0;
        // Validating is start-up work from end to end: it runs once, too briefly for optimised code to pay.
        StartupCompilation startup = StartupCompilation.begin();
        try {
            for (Path path : paths) {
                RuleSet set = loader.load(path);
                for (RuleProblem problem : set.problems()) {
                    out.println(problem);
                    problems++;
                }
                for (Rule rule : set.rules()) {
                    List<RuleProblem> found =
                            client == null ? List.of() : againstMappings(loader, rule, client, conn, out);
                    found.forEach(out::println);
                    problems += found.size();
                    valid += found.isEmpty() ? 1 : 0;
                }
            }
        } finally {
            startup.close();
            if (client != null) {
                try {
                    client._transport().close();
                } catch (IOException ignored) {
                    // nothing left to do with it
                }
            }
        }
        out.printf("%d rule(s) valid, %d problem(s)%n", valid, problems);
        return problems == 0 ? 0 : 1;
    }

    private static List<RuleProblem> againstMappings(
            RuleLoader loader, Rule rule, ElasticsearchClient client, ElasticsearchConnection conn, PrintWriter out) {
        FieldTypes types;
        try {
            types = new FieldMappings(client, conn.url()).forFields(rule.index(), List.of());
        } catch (ElasticsearchCallException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        if (!types.complete()) {
            out.println((rule.source() == null ? rule.ruleId() : rule.source()) + ": warning: index " + rule.index()
                    + " matches no index with a mapping on " + conn.url() + "; fields not checked");
            return List.of();
        }
        return Verifier.verify(rule.query(), types).stream()
                .map((Problem p) -> loader.queryProblem(rule, p.line(), p.column(), p.message()))
                .toList();
    }
}
