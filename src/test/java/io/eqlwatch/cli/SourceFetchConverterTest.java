package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eqlwatch.source.SourceFetch;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class SourceFetchConverterTest {

    private final EngineOptions.SourceFetchConverter converter = new EngineOptions.SourceFetchConverter();

    @Test
    void eitherModeInAnyCase() {
        assertEquals(SourceFetch.FILTERED, converter.convert("filtered"));
        assertEquals(SourceFetch.WHOLE, converter.convert(" Whole "));
    }

    @Test
    void anythingElseSaysWhatIsExpected() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("full"));
        assertEquals("expected 'filtered' or 'whole', not 'full'", e.getMessage());
    }
}
