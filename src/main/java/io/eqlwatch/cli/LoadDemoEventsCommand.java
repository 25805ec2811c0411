package io.eqlwatch.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.eqlwatch.demo.DemoDataLoader;
import io.eqlwatch.es.ElasticsearchClients;
import io.eqlwatch.es.ElasticsearchConnection;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eqlwatch load-demo-events}: puts the demo's Elastic Defend events into any cluster. */
@Command(
        name = "load-demo-events",
        mixinStandardHelpOptions = true,
        description = "Indexes simulated Elastic Defend events (one SMB tool transfer among look-alikes and noise,"
                + " all in the last 9 minutes) into logs-endpoint.events.{network,file}-default, with index"
                + " templates that map them as the endpoint package does.")
final class LoadDemoEventsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the simulated events (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        ElasticsearchClient client = ElasticsearchClients.create(ConnectedServices.connection(connection));
        try {
            DemoDataLoader.Loaded data = new DemoDataLoader(client).load(Instant.now(), seed, "default", 300);
            System.out.println("indexed " + data.totalEvents() + " demo events into "
                    + data.eventsPerIndex().keySet() + " on "
                    + ElasticsearchConnection.withoutCredentials(connection.esUrl) + " ("
                    + data.expectedAlerts().size() + " attack to detect)");
            return 0;
        } catch (RuntimeException e) {
            throw new UserFacingException(
                    "cannot load demo events into " + ElasticsearchConnection.withoutCredentials(connection.esUrl)
                            + ": " + e.getMessage(),
                    e);
        }
    }
}
