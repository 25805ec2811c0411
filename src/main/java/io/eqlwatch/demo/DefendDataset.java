package io.eqlwatch.demo;

/**
 * The Elastic Defend event datasets eqlwatch's first rule reads, with their index naming
 * ({@code logs-endpoint.events.<kind>-<namespace>}) and the bundled template of Defend-like mappings.
 */
public enum DefendDataset {
    FILE("file"),
    NETWORK("network");

    private final String kind;

    DefendDataset(String kind) {
        this.kind = kind;
    }

    /** e.g. {@code endpoint.events.file}, the value of {@code event.dataset} and {@code data_stream.dataset}. */
    public String dataset() {
        return "endpoint.events." + kind;
    }

    /** e.g. {@code logs-endpoint.events.file-*}, the pattern rules query. */
    public String indexPattern() {
        return "logs-" + dataset() + "-*";
    }

    /** e.g. {@code logs-endpoint.events.file-default}. */
    public String indexName(String namespace) {
        return "logs-" + dataset() + "-" + namespace;
    }

    /** e.g. {@code eqlwatch-demo-logs-endpoint.events.file}. */
    public String templateName() {
        return "eqlwatch-demo-logs-" + dataset();
    }

    /** Class-path location of the index template body. */
    public String templateResource() {
        return "/demo/logs-" + dataset() + "-template.json";
    }
}
