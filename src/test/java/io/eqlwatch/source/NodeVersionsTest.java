package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.event.CaseFolding;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeVersionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "8.19.21;ASCII",
                "9.0.3;ASCII",
                "9.1.0;UNICODE",
                "9.5.4;UNICODE",
                "10.0.0-SNAPSHOT;UNICODE",
                "9.5.4,8.19.21;ASCII",
                "9.2.0,9.1.1;UNICODE",
                "7.17.0;ASCII",
                "garbled;ASCII"
            })
    void theOldestNodeDecidesHowRegexpFoldsCase(String versions, CaseFolding expected) {
        assertEquals(expected, NodeVersions.regexpFoldingOf(Arrays.asList(versions.split(","))));
    }

    @org.junit.jupiter.api.Test
    void noNodeSeenFoldsAsciiOnly() {
        assertEquals(CaseFolding.ASCII, NodeVersions.regexpFoldingOf(List.of()));
    }
}
