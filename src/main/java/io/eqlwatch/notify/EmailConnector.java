package io.eqlwatch.notify;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Mail over SMTP with Jakarta Mail: STARTTLS (required, not opportunistic) or implicit TLS, AUTH
 * when a username is set, and a multipart/alternative body with a text and an HTML part.
 */
final class EmailConnector implements Connector {

    private final ConnectorDefinition.Email definition;
    private final MessageTemplates templates;
    private final Session session;
    private final Redaction redaction;

    EmailConnector(
            ConnectorDefinition.Email definition, MessageTemplates templates, Duration timeout, Redaction redaction) {
        this.definition = definition;
        this.templates = templates;
        this.redaction = redaction;
        this.session = Session.getInstance(properties(definition, timeout));
    }

    static Properties properties(ConnectorDefinition.Email definition, Duration timeout) {
        boolean tls = definition.security() == ConnectorDefinition.SmtpSecurity.TLS;
        String protocol = tls ? "smtps" : "smtp";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        String prefix = "mail." + protocol + ".";
        props.put(prefix + "host", definition.host());
        props.put(prefix + "port", String.valueOf(definition.port()));
        props.put(prefix + "auth", String.valueOf(definition.username() != null));
        props.put(prefix + "connectiontimeout", String.valueOf(timeout.toMillis()));
        props.put(prefix + "timeout", String.valueOf(timeout.toMillis()));
        props.put(prefix + "writetimeout", String.valueOf(timeout.toMillis()));
        if (definition.security() == ConnectorDefinition.SmtpSecurity.STARTTLS) {
            props.put(prefix + "starttls.enable", "true");
            props.put(prefix + "starttls.required", "true");
        }
        if (definition.security() != ConnectorDefinition.SmtpSecurity.NONE) {
            props.put(prefix + "ssl.checkserveridentity", "true");
        }
        return props;
    }

    @Override
    public ConnectorDefinition definition() {
        return definition;
    }

    @Override
    public RenderedMessage render(MessageModel model) {
        String subject = templates
                .render(
                        model.template(
                                "subject",
                                model.summary()
                                        ? DefaultTemplates.EMAIL_SUMMARY_SUBJECT
                                        : DefaultTemplates.EMAIL_SUBJECT),
                        MessageTemplates.Escaping.NONE,
                        model.model())
                .strip()
                .replaceAll("\\s+", " ");
        String text = templates.render(
                model.template(
                        "message", model.summary() ? DefaultTemplates.SUMMARY_TEXT : DefaultTemplates.ALERT_TEXT),
                MessageTemplates.Escaping.NONE,
                model.model());
        String html = templates.render(
                model.template("html", model.summary() ? DefaultTemplates.SUMMARY_HTML : DefaultTemplates.ALERT_HTML),
                MessageTemplates.Escaping.HTML,
                model.model());
        String preview = "SMTP " + definition.host() + ":" + definition.port() + " ("
                + definition.security().name().toLowerCase()
                + ")\nFrom: " + definition.from() + "\nTo: " + String.join(", ", definition.to())
                + (definition.cc().isEmpty() ? "" : "\nCc: " + String.join(", ", definition.cc()))
                + "\nSubject: " + subject + "\n\n" + text + "\n--- HTML part ---\n" + html;
        return new RenderedMessage(preview, new RenderedMessage.EmailParts(subject, text, html));
    }

    @Override
    public DeliveryOutcome send(RenderedMessage message) {
        RenderedMessage.EmailParts parts = (RenderedMessage.EmailParts) message.payload();
        String receiver = "SMTP " + definition.name() + " (" + definition.host() + ":" + definition.port() + ")";
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(definition.from()));
            mail.setRecipients(Message.RecipientType.TO, addresses(definition.to()));
            if (!definition.cc().isEmpty()) {
                mail.setRecipients(Message.RecipientType.CC, addresses(definition.cc()));
            }
            mail.setSubject(parts.subject(), StandardCharsets.UTF_8.name());
            mail.setSentDate(new Date());
            MimeBodyPart text = new MimeBodyPart();
            text.setText(parts.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setContent(parts.html(), "text/html; charset=UTF-8");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mail.setContent(alternative);
            mail.saveChanges();
            try (Transport transport = session.getTransport()) {
                if (definition.username() != null) {
                    transport.connect(
                            definition.host(),
                            definition.port(),
                            definition.username(),
                            definition.password() == null
                                    ? ""
                                    : definition.password().reveal());
                } else {
                    transport.connect();
                }
                transport.sendMessage(mail, mail.getAllRecipients());
            }
            return DeliveryOutcome.ok(receiver + " accepted the message");
        } catch (AddressException e) {
            return DeliveryOutcome.refused(receiver + ": bad address: " + redaction.scrub(e.getMessage()));
        } catch (AuthenticationFailedException e) {
            // Often a rotated password: worth retrying until someone fixes the secret, within the retry limit.
            return DeliveryOutcome.retry(receiver + ": authentication failed");
        } catch (SendFailedException e) {
            return DeliveryOutcome.refused(receiver + " refused the recipients: " + redaction.scrub(e.getMessage()));
        } catch (MessagingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return DeliveryOutcome.retry(receiver + " unreachable: "
                    + redaction.scrub(cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
        }
    }

    private static Address[] addresses(java.util.List<String> list) throws AddressException {
        Address[] out = new Address[list.size()];
        for (int i = 0; i < list.size(); i++) {
            out[i] = new InternetAddress(list.get(i), true);
        }
        return out;
    }
}
