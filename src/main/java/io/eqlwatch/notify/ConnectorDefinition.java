package io.eqlwatch.notify;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** A connector as the connectors file defines it: where messages go and how to authenticate there. */
public sealed interface ConnectorDefinition {

    /** The name rules refer to in {@code actions: - connector: NAME}. */
    String name();

    /** The connector type as written in the file: webhook, slack, teams, pagerduty or email. */
    String type();

    /** Any HTTP endpoint, with a JSON body from a Mustache template. */
    record Webhook(
            String name,
            String method,
            SettingValue url,
            Map<String, SettingValue> headers,
            String bodyTemplate,
            HttpAuth auth)
            implements ConnectorDefinition {
        public Webhook {
            headers = Map.copyOf(headers);
        }

        @Override
        public String type() {
            return "webhook";
        }
    }

    /** A Slack incoming webhook; its URL holds a token, so it is a secret. */
    record Slack(String name, Secret webhookUrl) implements ConnectorDefinition {
        @Override
        public String type() {
            return "slack";
        }
    }

    /** A Microsoft Teams incoming webhook (connector or Workflows); its URL is a secret. */
    record Teams(String name, Secret webhookUrl) implements ConnectorDefinition {
        @Override
        public String type() {
            return "teams";
        }
    }

    /** PagerDuty's Events API v2 with a service's integration (routing) key. */
    record PagerDuty(String name, Secret routingKey, URI eventsUrl) implements ConnectorDefinition {
        public static final URI EVENTS_URL = URI.create("https://events.pagerduty.com/v2/enqueue");

        @Override
        public String type() {
            return "pagerduty";
        }
    }

    /** Mail over SMTP. */
    record Email(
            String name,
            String host,
            int port,
            SmtpSecurity security,
            String username,
            Secret password,
            String from,
            List<String> to,
            List<String> cc)
            implements ConnectorDefinition {
        public Email {
            to = List.copyOf(to);
            cc = List.copyOf(cc);
        }

        @Override
        public String type() {
            return "email";
        }
    }

    /** How an SMTP connection is protected. */
    enum SmtpSecurity {
        /** Plain connection upgraded with STARTTLS, which the server must offer (port 587). */
        STARTTLS,
        /** TLS from the first byte (port 465). */
        TLS,
        /** No encryption: only for a relay on the same host or a test server. */
        NONE
    }

    /** HTTP authentication of a webhook. */
    sealed interface HttpAuth {
        record Basic(String username, Secret password) implements HttpAuth {}

        record Bearer(Secret token) implements HttpAuth {}
    }
}
