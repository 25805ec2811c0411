package io.eqlwatch.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.event.FieldType;
import io.eqlwatch.event.FieldTypes;
import io.eqlwatch.testing.ElasticsearchHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FieldMappingsIT {

    private static final ElasticsearchHarness es = ElasticsearchHarness.shared();
    private final List<String> created = new ArrayList<>();
    private final FieldMappings mappings = new FieldMappings(es.client(), es.url());

    @AfterEach
    void deleteIndices() {
        es.deleteIndices(created.toArray(String[]::new));
    }

    @Test
    void readsTheDefendTypesAcrossBothEventIndices() {
        String prefix = es.uniqueIndexName("logs-endpoint.events");
        es.createIndex(prefix + "-file", DefendDataset.FILE);
        es.createIndex(prefix + "-network", DefendDataset.NETWORK);
        created.addAll(List.of(prefix + "-file", prefix + "-network"));

        FieldTypes types = mappings.read(List.of(prefix + "-*"));

        assertEquals(FieldType.DATE, types.of("@timestamp"));
        assertEquals(FieldType.DATE, types.of("event.ingested"));
        assertEquals(FieldType.KEYWORD, types.of("host.id"));
        assertEquals(FieldType.KEYWORD, types.of("host.os.type"));
        assertEquals(FieldType.KEYWORD, types.of("event.category"));
        assertEquals(FieldType.KEYWORD, types.of("process.entity_id"));
        assertEquals(FieldType.LONG, types.of("process.pid"));
        assertEquals(FieldType.LONG, types.of("destination.port"));
        assertEquals(FieldType.IP, types.of("source.ip"));
        assertEquals(FieldType.IP, types.of("host.ip"));
        assertEquals(FieldType.KEYWORD, types.of("file.Ext.header_bytes"));
        assertEquals(FieldType.KEYWORD, types.of("file.path"));
        assertEquals(FieldType.TEXT, types.of("file.path.text"));
        assertEquals(FieldType.UNKNOWN, types.of("no.such.field"));
        assertEquals(FieldType.UNKNOWN, types.of("_id"));
    }

    @Test
    void aFieldMappedDifferentlyInTwoIndicesIsUnknownUnlessTheyCompareAlike() {
        String prefix = es.uniqueIndexName("eqlwatch-conflict");
        es.createIndex(
                prefix + "-a",
                ElasticsearchHarness.json(
                        "{\"properties\": {\"x\": {\"type\": \"keyword\"}, \"n\": {\"type\": \"long\"}}}"));
        es.createIndex(
                prefix + "-b",
                ElasticsearchHarness.json(
                        "{\"properties\": {\"x\": {\"type\": \"ip\"}, \"n\": {\"type\": \"integer\"}}}"));
        created.addAll(List.of(prefix + "-a", prefix + "-b"));

        FieldTypes types = mappings.read(List.of(prefix + "-*"));

        assertEquals(FieldType.UNKNOWN, types.of("x"));
        assertEquals(FieldType.LONG, types.of("n"));
    }

    @Test
    void indicesThatDoNotExistHaveNoMappings() {
        assertEquals(
                FieldTypes.NONE.byField(),
                mappings.read(List.of(es.uniqueIndexName("nothing-here") + "-*"))
                        .byField());
    }

    @Test
    void onlyTheRequestedFieldsAreRead() {
        String name = es.uniqueIndexName("logs-endpoint.events.network");
        es.createIndex(name, DefendDataset.NETWORK);
        created.add(name);

        FieldTypes types = mappings.read(List.of(name), List.of("source.ip", "destination.*"));

        assertEquals(FieldType.IP, types.of("source.ip"));
        assertEquals(FieldType.LONG, types.of("destination.port"));
        assertEquals(FieldType.UNKNOWN, types.of("host.id"));
    }
}
