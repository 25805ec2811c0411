package io.eqlwatch.notify;

/**
 * The messages connectors send when an action does not give its own template: what an analyst
 * needs to decide whether to open Kibana — the rule, the reason, who and where, the sequence's
 * events, and the link.
 */
final class DefaultTemplates {

    private DefaultTemplates() {}

    static final String TITLE = "{{rule.name}}";

    static final String SUMMARY_TITLE = "{{alerts_count}} new alert(s): {{rule.name}}";

    /** One alert, as plain text (email text part, PagerDuty details, Teams and Slack bodies). */
    static final String ALERT_TEXT =
            """
            {{alert.reason}}
            Severity: {{rule.severity}} (risk score {{rule.risk_score}})
            {{#alert.host.name}}Host: {{alert.host.name}}
            {{/alert.host.name}}{{#alert.user.name}}User: {{alert.user.name}}
            {{/alert.user.name}}{{#alert.source.ip}}Source: {{alert.source.ip}}{{#alert.source.port}}:{{alert.source.port}}{{/alert.source.port}}
            {{/alert.source.ip}}{{#alert.destination.ip}}Destination: {{alert.destination.ip}}{{#alert.destination.port}}:{{alert.destination.port}}{{/alert.destination.port}}
            {{/alert.destination.ip}}{{#alert.file.path}}File: {{alert.file.path}}
            {{/alert.file.path}}First event: {{alert.original_time}}
            Events:
            {{#alert.events}}
            - {{timestamp}} {{#event.category}}{{.}} {{/event.category}}{{event.action}}{{#process.name}} by {{process.name}}{{/process.name}}{{#file.path}} {{file.path}}{{/file.path}}{{#source.ip}} from {{source.ip}}{{/source.ip}}
            {{/alert.events}}
            {{#kibana.alert.url}}Open in Kibana: {{kibana.alert.url}}
            {{/kibana.alert.url}}""";

    /** Several alerts of one rule, as plain text. */
    static final String SUMMARY_TEXT =
            """
            {{alerts_count}} new alert(s) from {{rule.name}} (severity {{rule.severity}}, risk score {{rule.risk_score}}):
            {{#alerts}}
            - {{original_time}} {{#host.name}}{{host.name}}: {{/host.name}}{{reason}}{{#url}} {{url}}{{/url}}
            {{/alerts}}""";

    static final String EMAIL_SUBJECT =
            "[eqlwatch] {{rule.severity}}: {{rule.name}}{{#alert.host.name}} on {{alert.host.name}}{{/alert.host.name}}";

    static final String EMAIL_SUMMARY_SUBJECT = "[eqlwatch] {{alerts_count}} new alert(s): {{rule.name}}";

    static final String ALERT_HTML =
            """
            <h2>{{rule.name}}</h2>
            <p>{{alert.reason}}</p>
            <table>
            <tr><th align="left">Severity</th><td>{{rule.severity}} (risk score {{rule.risk_score}})</td></tr>
            {{#alert.host.name}}<tr><th align="left">Host</th><td>{{alert.host.name}}</td></tr>{{/alert.host.name}}
            {{#alert.user.name}}<tr><th align="left">User</th><td>{{alert.user.name}}</td></tr>{{/alert.user.name}}
            {{#alert.source.ip}}<tr><th align="left">Source</th><td>{{alert.source.ip}}</td></tr>{{/alert.source.ip}}
            {{#alert.file.path}}<tr><th align="left">File</th><td>{{alert.file.path}}</td></tr>{{/alert.file.path}}
            <tr><th align="left">First event</th><td>{{alert.original_time}}</td></tr>
            </table>
            <ol>{{#alert.events}}<li>{{timestamp}} {{#event.category}}{{.}} {{/event.category}}{{event.action}}{{#file.path}} {{file.path}}{{/file.path}}</li>{{/alert.events}}</ol>
            {{#kibana.alert.url}}<p><a href="{{kibana.alert.url}}">Open in Kibana</a></p>{{/kibana.alert.url}}
            """;

    static final String SUMMARY_HTML =
            """
            <h2>{{alerts_count}} new alert(s): {{rule.name}}</h2>
            <ul>{{#alerts}}<li>{{original_time}} {{#host.name}}<b>{{host.name}}</b>: {{/host.name}}{{reason}}{{#url}} <a href="{{url}}">open</a>{{/url}}</li>{{/alerts}}</ul>
            """;
}
