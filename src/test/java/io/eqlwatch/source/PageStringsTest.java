package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageStringsTest {

    private static final JsonFactory JSON = new JsonFactory();

    /** Each string of a JSON array as the page's strings hand it out, in order. */
    private static List<String> read(PageStrings strings, String array) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(array)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                out.add(strings.text(parser));
            }
        }
        return out;
    }

    @Test
    void aRepeatedShortValueIsOneObject() throws IOException {
        List<String> read = read(new PageStrings(), "[\"windows\", \"linux\", \"windows\", \"wind\\u006fws\"]");
        assertEquals(List.of("windows", "linux", "windows", "windows"), read);
        assertSame(read.get(0), read.get(2));
        assertSame(read.get(0), read.get(3), "an escaped spelling of the same text is the same value");
    }

    @Test
    void aLongValueIsMadeEachTime() throws IOException {
        String path = "C:\\\\Windows\\\\System32\\\\drivers\\\\etc\\\\a-long-file-name-for-the-test.exe";
        List<String> read = read(new PageStrings(), "[\"" + path + "\", \"" + path + "\"]");
        assertEquals(read.get(0), read.get(1));
        assertNotSame(read.get(0), read.get(1));
    }

    @Test
    void everyValueReadsBackAsItsOwnTextWhateverCollides() throws IOException {
        // Far more distinct values than entries, in an order that revisits them, so entries are replaced often.
        StringBuilder array = new StringBuilder("[");
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20_000; i += 7) {
                String value = (i % 3 == 0 ? "Aa" : "BB") + i + (round == 1 ? "é" : "");
                expected.add(value);
                array.append(array.length() > 1 ? "," : "")
                        .append('"')
                        .append(value)
                        .append('"');
            }
        }
        array.append(']');
        assertEquals(expected, read(new PageStrings(), array.toString()));
    }

    @Test
    void anEmptyValueIsAValueToo() throws IOException {
        assertEquals(List.of("", "a", ""), read(new PageStrings(), "[\"\", \"a\", \"\"]"));
    }
}
