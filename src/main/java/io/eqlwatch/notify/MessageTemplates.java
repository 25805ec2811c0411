package io.eqlwatch.notify;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders Mustache templates (the language of Kibana's action messages) with the escaping the
 * target needs: a webhook body is JSON, so values are escaped as JSON string content; an email's
 * HTML part escapes HTML; plain text escapes nothing. {@code {{{triple}}}} braces never escape.
 */
public final class MessageTemplates {

    /** What a rendered value is inserted into. */
    public enum Escaping {
        JSON,
        HTML,
        NONE
    }

    private final Map<Escaping, DefaultMustacheFactory> factories = Map.of(
            Escaping.JSON, new EscapingFactory(MessageTemplates::jsonEscape),
            Escaping.HTML, new DefaultMustacheFactory(),
            Escaping.NONE, new EscapingFactory((value, out) -> out.write(value)));
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException when the template does not parse, with Mustache's reason
     */
    public String render(String template, Escaping escaping, Map<String, Object> model) {
        Mustache mustache = compiled.computeIfAbsent(escaping + "\u0000" + template, key -> {
            try {
                return factories.get(escaping).compile(new StringReader(template), "template");
            } catch (MustacheException e) {
                throw new IllegalArgumentException("template does not parse: " + e.getMessage(), e);
            }
        });
        StringWriter out = new StringWriter();
        mustache.execute(out, model);
        return out.toString();
    }

    /** Checks that a template parses; the message says why not. */
    public void check(String template) {
        render(template, Escaping.NONE, Map.of());
    }

    @FunctionalInterface
    private interface Encoder {
        void encode(String value, Writer out) throws IOException;
    }

    private static final class EscapingFactory extends DefaultMustacheFactory {
        private final Encoder encoder;

        EscapingFactory(Encoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                encoder.encode(value, writer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void jsonEscape(String value, Writer out) throws IOException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.write("\\\"");
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                default -> {
                    if (c < 0x20) {
                        out.write(String.format("\\u%04x", (int) c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
    }
}
