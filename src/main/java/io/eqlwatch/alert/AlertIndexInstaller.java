package io.eqlwatch.alert;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import co.elastic.clients.elasticsearch.ilm.IlmPolicy;
import co.elastic.clients.elasticsearch.indices.put_index_template.IndexTemplateMapping;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eqlwatch.es.ElasticsearchCallException;
import io.eqlwatch.es.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the alerts index at start-up, idempotently: the ILM policy (when the cluster has ILM),
 * the composable index template that gives every alert field its type, and the first index with
 * the write alias, so that {@code create} requests to the alias land in a mapped index. Running
 * it again changes nothing but brings an older template and the write index's mapping up to date.
 *
 * <p>For Kibana's own {@code .alerts-security.alerts-<space>} it installs nothing and only checks
 * that Kibana has created the alias.
 */
public final class AlertIndexInstaller {

    /** Bumped whenever the template changes, so operators can tell which one a cluster holds. */
    public static final int TEMPLATE_VERSION = 1;

    static final String TEMPLATE_RESOURCE = "/alerts/alerts-index-template.json";

    private static final Logger LOG = LoggerFactory.getLogger(AlertIndexInstaller.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param lifecycleAttached whether the indices carry the ILM policy (rollover and retention work)
     * @param warnings          degradations the operator should know about, already logged
     */
    public record Result(boolean lifecycleAttached, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private final ElasticsearchClient client;
    private final AlertIndexSettings settings;
    private final RetryPolicy retry;

    public AlertIndexInstaller(ElasticsearchClient client, AlertIndexSettings settings) {
        this(client, settings, RetryPolicy.DEFAULT);
    }

    /** @param retry how each call is retried when the cluster fails for a moment */
    public AlertIndexInstaller(ElasticsearchClient client, AlertIndexSettings settings, RetryPolicy retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** The write alias the alerts go to. */
    public String alias() {
        return settings.name();
    }

    public Result install() throws AlertIndexException {
        try {
            if (settings.kibanaIndex()) {
                return checkKibanaIndex();
            }
            List<String> warnings = new ArrayList<>();
            boolean lifecycle = installLifecyclePolicy(warnings);
            putTemplate(lifecycle);
            ensureWriteAlias(warnings);
            return new Result(lifecycle, warnings);
        } catch (AlertIndexException e) {
            throw e;
        } catch (ElasticsearchCallException e) {
            throw new AlertIndexException(
                    "could not prepare alerts index '" + settings.name() + "': " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new AlertIndexException(
                    "could not prepare alerts index '" + settings.name() + "': " + describe(e), e);
        }
    }

    private Result checkKibanaIndex() throws IOException {
        if (!aliasExists()) {
            throw new AlertIndexException("Kibana's alerts index '" + settings.name() + "' does not exist yet. Kibana"
                    + " creates it the first time the Security app is opened in space '" + settings.spaceId()
                    + "' (Security > Alerts); open it once, or check the space id.");
        }
        LOG.info(
                "writing alerts into Kibana's alerts index '{}'; its template and lifecycle are Kibana's",
                settings.name());
        return new Result(false, List.of());
    }

    /** Puts the ILM policy; {@code false} when the cluster has no ILM or no policy is configured. */
    private boolean installLifecyclePolicy(List<String> warnings) throws IOException {
        if (settings.lifecyclePolicy() == null) {
            return false;
        }
        if (!settings.manageLifecyclePolicy()) {
            return true;
        }
        String policyJson = MAPPER.writeValueAsString(lifecyclePolicy(settings));
        try {
            retry.run(
                    "writing ILM policy '" + settings.lifecyclePolicy() + "'",
                    "the manage_ilm cluster privilege",
                    () -> client.ilm().putLifecycle(p -> p.name(settings.lifecyclePolicy())
                            .policy(IlmPolicy.of(b -> b.withJson(new StringReader(policyJson))))));
            return true;
        } catch (ElasticsearchCallException e) {
            int status = e.status();
            String warning;
            if (status == 403) {
                warning = "not allowed to write ILM policy '" + settings.lifecyclePolicy() + "' (needs the"
                        + " manage_ilm cluster privilege); alerts index '" + settings.name()
                        + "' will neither roll over nor expire. Grant the privilege or create the policy yourself"
                        + " and point eqlwatch at it.";
            } else if (status == 400 || status == 404 || status == 405 || status == 410) {
                warning = "this Elasticsearch has no index lifecycle management (ILM); alerts index '"
                        + settings.name() + "' will neither roll over nor expire. Delete old alerts yourself, or run"
                        + " a distribution with ILM (the default distribution has it).";
            } else {
                throw e;
            }
            LOG.warn("{} ({})", warning, e.getMessage());
            warnings.add(warning);
            return false;
        }
    }

    /** The ILM policy body: roll over at the configured size or age, delete after the retention. */
    static ObjectNode lifecyclePolicy(AlertIndexSettings settings) {
        ObjectNode policy = MAPPER.createObjectNode();
        ObjectNode phases = policy.putObject("phases");
        ObjectNode rollover = phases.putObject("hot")
                .put("min_age", "0ms")
                .putObject("actions")
                .putObject("rollover");
        if (settings.rolloverMaxPrimarySize() != null) {
            rollover.put("max_primary_shard_size", settings.rolloverMaxPrimarySize());
        }
        if (settings.rolloverMaxAge() != null) {
            rollover.put("max_age", settings.rolloverMaxAge());
        }
        if (rollover.isEmpty()) {
            phases.remove("hot");
        }
        if (settings.deleteAfter() != null) {
            phases.putObject("delete")
                    .put("min_age", settings.deleteAfter())
                    .putObject("actions")
                    .putObject("delete");
        }
        policy.putObject("_meta")
                .put("managed_by", "eqlwatch")
                .put("description", "Rollover and retention of eqlwatch alerts in " + settings.name());
        return policy;
    }

    private void putTemplate(boolean lifecycle) throws IOException {
        String templateJson = MAPPER.writeValueAsString(templateBody(settings, lifecycle));
        retry.run(
                "writing index template '" + settings.templateName() + "'",
                "the manage_index_templates cluster" + " privilege",
                () -> client.indices().putIndexTemplate(t -> t.name(settings.templateName())
                        .indexPatterns(settings.indexPattern())
                        .priority(200L)
                        .version((long) TEMPLATE_VERSION)
                        .meta("managed_by", JsonData.of("eqlwatch"))
                        .meta("description", JsonData.of("eqlwatch alerts, shaped as Kibana's detection alerts"))
                        .template(IndexTemplateMapping.of(m -> m.withJson(new StringReader(templateJson))))));
    }

    /** The template's settings and mappings, with the lifecycle settings when ILM is in use. */
    static ObjectNode templateBody(AlertIndexSettings settings, boolean lifecycle) {
        ObjectNode body = loadTemplateResource();
        if (lifecycle) {
            ObjectNode index = body.withObject("/settings/index");
            index.putObject("lifecycle").put("name", settings.lifecyclePolicy()).put("rollover_alias", settings.name());
        }
        return body;
    }

    /** The bundled settings and mappings (src/main/resources/alerts/alerts-index-template.json). */
    public static ObjectNode loadTemplateResource() {
        try (InputStream in = AlertIndexInstaller.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the eqlwatch jar");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(TEMPLATE_RESOURCE + " does not parse", e);
        }
    }

    private void ensureWriteAlias(List<String> warnings) throws IOException {
        String alias = settings.name();
        if (aliasExists()) {
            updateWriteIndexMapping(warnings);
            return;
        }
        if (retry.run(
                "checking for an index named '" + alias + "'",
                "view_index_metadata on " + alias,
                () -> client.indices().exists(e -> e.index(alias)).value())) {
            throw new AlertIndexException("'" + alias + "' exists as an index, not as the alias eqlwatch writes to"
                    + " (something wrote to it before eqlwatch prepared it, so its fields have guessed types)."
                    + " Reindex its documents into a new name and delete it, or choose another alerts index name.");
        }
        try {
            retry.run(
                    "creating alerts index '" + settings.firstIndex() + "' with write alias '" + alias + "'",
                    "manage on " + settings.indexPattern() + " (creating an index with an alias)",
                    () -> client.indices()
                            .create(c -> c.index(settings.firstIndex()).aliases(alias, a -> a.isWriteIndex(true))));
            LOG.info("created alerts index '{}' behind write alias '{}'", settings.firstIndex(), alias);
        } catch (ElasticsearchCallException e) {
            // Another eqlwatch started at the same moment and created it first (or this one did, on an attempt
            // whose answer was lost): fine if the alias is there.
            if (!"resource_already_exists_exception".equals(e.errorType()) || !aliasExists()) {
                throw e;
            }
        }
    }

    /** Whether the write alias exists (the first call of every start, and of every re-install). */
    public boolean aliasExists() {
        return retry.run(
                "checking alias '" + settings.name() + "'",
                "view_index_metadata on " + settings.name(),
                () -> client.indices().existsAlias(a -> a.name(settings.name())).value());
    }

    /** Adds fields a newer template maps to the current write index; existing types never change. */
    private void updateWriteIndexMapping(List<String> warnings) throws IOException {
        String mappingJson = MAPPER.writeValueAsString(loadTemplateResource().get("mappings"));
        TypeMapping mapping = TypeMapping.of(m -> m.withJson(new StringReader(mappingJson)));
        try {
            retry.run(
                    "updating the mapping of '" + settings.name() + "'",
                    "manage on " + settings.name(),
                    () -> client.indices().putMapping(p -> p.index(settings.name())
                            .writeIndexOnly(true)
                            .properties(mapping.properties())
                            .dynamicTemplates(mapping.dynamicTemplates())));
        } catch (ElasticsearchCallException e) {
            if (e.status() == 0 || RetryPolicy.isTransientStatus(e.status())) {
                throw e;
            }
            String warning = "could not bring the mapping of '" + settings.name() + "' up to date: " + e.getMessage()
                    + "; the next rollover applies the new template";
            LOG.warn(warning);
            warnings.add(warning);
        }
    }

    private static String describe(Throwable e) {
        return ElasticsearchCallException.describe(e);
    }
}
