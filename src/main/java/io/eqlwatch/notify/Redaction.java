package io.eqlwatch.notify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Removes a connector's secret values from text that may reach a log or the status output, such as
 * an exception message that quotes the URL it failed to reach (a Slack webhook URL is a token).
 */
final class Redaction {

    private final List<String> secrets;

    Redaction(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                kept.add(secret);
            }
        }
        this.secrets = List.copyOf(kept);
    }

    static Redaction of(ConnectorDefinition definition) {
        List<String> values = new ArrayList<>();
        if (definition instanceof ConnectorDefinition.Slack slack) {
            values.add(slack.webhookUrl().reveal());
        } else if (definition instanceof ConnectorDefinition.Teams teams) {
            values.add(teams.webhookUrl().reveal());
        } else if (definition instanceof ConnectorDefinition.PagerDuty pagerDuty) {
            values.add(pagerDuty.routingKey().reveal());
        } else if (definition instanceof ConnectorDefinition.Email email) {
            if (email.password() != null) {
                values.add(email.password().reveal());
            }
        } else if (definition instanceof ConnectorDefinition.Webhook webhook) {
            if (webhook.url().secret() != null) {
                values.add(webhook.url().value());
            }
            webhook.headers().values().stream().filter(v -> v.secret() != null).forEach(v -> values.add(v.value()));
            if (webhook.auth() instanceof ConnectorDefinition.HttpAuth.Basic basic) {
                values.add(basic.password().reveal());
            } else if (webhook.auth() instanceof ConnectorDefinition.HttpAuth.Bearer bearer) {
                values.add(bearer.token().reveal());
            }
        }
        return new Redaction(values);
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
