package io.eqlwatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    private final MessageTemplates templates = new MessageTemplates();
    private final Map<String, Object> model = Map.of(
            "rule", Map.of("name", "SMB \"tool\" <transfer>"),
            "alert", Map.of("file", Map.of("path", "C:\\Windows\\Temp\\a.exe")),
            "alerts", List.of(Map.of("id", "a1"), Map.of("id", "a2")));

    @Test
    void jsonEscapingKeepsAJsonBodyValid() {
        assertEquals(
                "{\"rule\": \"SMB \\\"tool\\\" <transfer>\", \"path\": \"C:\\\\Windows\\\\Temp\\\\a.exe\"}",
                templates.render(
                        "{\"rule\": \"{{rule.name}}\", \"path\": \"{{alert.file.path}}\"}",
                        MessageTemplates.Escaping.JSON,
                        model));
    }

    @Test
    void htmlEscapingForTheHtmlPartOfAMail() {
        assertEquals(
                "<b>SMB &quot;tool&quot; &lt;transfer&gt;</b>",
                templates.render("<b>{{rule.name}}</b>", MessageTemplates.Escaping.HTML, model));
    }

    @Test
    void plainTextIsLeftAlone() {
        assertEquals(
                "SMB \"tool\" <transfer>", templates.render("{{rule.name}}", MessageTemplates.Escaping.NONE, model));
    }

    @Test
    void sectionsIterateAndMissingValuesRenderEmpty() {
        assertEquals(
                "a1,a2,|",
                templates.render(
                        "{{#alerts}}{{id}},{{/alerts}}|{{alert.user.name}}", MessageTemplates.Escaping.NONE, model));
    }

    @Test
    void aBrokenTemplateSaysSo() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> templates.check("{{#alerts}}never closed"));
        assertEquals(true, e.getMessage().startsWith("template does not parse"), e.getMessage());
    }
}
