package io.eqlwatch.rule.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever text a rule holds, the YAML written for it reads back as the same text. */
class RuleYamlWriterTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static String written(String text) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("name", "Test rule");
        fields.put("description", text);
        fields.putArray("tags").add(text);
        fields.put("query", text);
        return new RuleYamlWriter()
                .write(new ImportedRule("test.toml", "test", fields, Map.of(), List.of(), List.of()));
    }

    private static void assertReadsBack(String text) throws IOException {
        JsonNode read = YAML.readTree(written(text));
        assertEquals(text, read.get("description").textValue(), "description");
        assertEquals(text, read.get("tags").get(0).textValue(), "list element");
        assertEquals(text, read.get("query").textValue(), "query");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain words",
                "Domain: Endpoint",
                "no",
                "yes",
                "null",
                "~",
                "1e3",
                "47",
                "0x1F",
                "5m",
                "2024-05-01",
                "@timestamp",
                "#hash",
                "a #b",
                "ends:",
                "- dash",
                "'quoted'",
                "\"dq\"",
                "  leading",
                "trailing  ",
                "line\nline",
                "  indented first\nsecond",
                "tabs\there\n\tand here",
                "trailing spaces  \nnext",
                "two trailing breaks\n\n",
                "\nleading break",
                "cr\r\nlf",
                "bell\u0007",
                "del\u007f",
                "nel\u0085x",
                "unicode ünïcödé ✓",
                "C:\\\\Program Files\\\\*.exe",
                "|",
                ">",
                "[list]",
                "{map}",
                "*alias",
                "&anchor",
                "!tag",
                "%directive",
                "`tick`",
                "?:question",
                "key: value\n  nested: no"
            })
    void trickyTextReadsBackUnchanged(String text) throws IOException {
        assertReadsBack(text);
    }

    @Property(tries = 300)
    void anyTextReadsBackUnchanged(@ForAll String text) throws IOException {
        assertReadsBack(text);
    }

    @Test
    void multiLineTextIsALiteralBlockAndShortSafeTextIsPlain() {
        String yaml = written("process where true\n  and false\n");

        assertTrue(yaml.contains("\nquery: |\n  process where true\n    and false\n"), yaml);
        assertTrue(yaml.contains("\nname: Test rule\n"), yaml);
        assertFalse(yaml.contains("\"process"), yaml);
    }

    @Test
    void aQueryOnOneLineIsStillABlock() {
        String yaml = written("any where process.name : \"cmd.exe\"");

        assertTrue(yaml.contains("\nquery: |-\n  any where process.name : \"cmd.exe\"\n"), yaml);
        assertTrue(yaml.contains("\ndescription: \"any where process.name : \\\"cmd.exe\\\"\"\n"), yaml);
    }
}
