package io.eqlwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every command that talks to Elasticsearch shares; each can also come from the environment, and the
 * secrets from a file. {@code --es-url https://user:password@host} works too; the URL is then printed without them.
 */
public final class ConnectionOptions {

    @Option(
            names = "--es-url",
            defaultValue = "${env:EQLWATCH_ES_URL:-http://localhost:9200}",
            description = "Elasticsearch URL (env EQLWATCH_ES_URL; default ${DEFAULT-VALUE}).")
    String esUrl;

    @Option(
            names = "--es-api-key",
            defaultValue = "${env:EQLWATCH_ES_API_KEY}",
            description =
                    "API key, base64 'id:key' as Kibana shows it (env EQLWATCH_ES_API_KEY). On the command"
                            + " line it is visible to every user of the machine (ps): prefer the variable or --es-api-key-file.")
    String apiKey;

    @Option(
            names = "--es-api-key-file",
            defaultValue = "${env:EQLWATCH_ES_API_KEY_FILE}",
            paramLabel = "FILE",
            description = "Read the API key from this file, e.g. a mounted secret (env EQLWATCH_ES_API_KEY_FILE).")
    Path apiKeyFile;

    @Option(
            names = "--es-username",
            defaultValue = "${env:EQLWATCH_ES_USERNAME}",
            description = "Basic-auth user (env EQLWATCH_ES_USERNAME).")
    String username;

    @Option(
            names = "--es-password",
            defaultValue = "${env:EQLWATCH_ES_PASSWORD}",
            description = "Basic-auth password (env EQLWATCH_ES_PASSWORD). On the command line it is visible to"
                    + " every user of the machine (ps): prefer the variable or --es-password-file.")
    String password;

    @Option(
            names = "--es-password-file",
            defaultValue = "${env:EQLWATCH_ES_PASSWORD_FILE}",
            paramLabel = "FILE",
            description = "Read the password from this file, e.g. a mounted secret (env EQLWATCH_ES_PASSWORD_FILE).")
    Path passwordFile;

    @Option(
            names = "--es-ca-cert",
            defaultValue = "${env:EQLWATCH_ES_CA_CERT}",
            description = "PEM file of the CA that signed the cluster's certificate (env EQLWATCH_ES_CA_CERT).")
    Path caCertificate;
}
