package io.eqlwatch.testing;

import io.eqlwatch.alert.AlertDocument;
import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.AlertWriteException;
import io.eqlwatch.alert.WriteResult;
import io.eqlwatch.alert.WriteSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An alerts index in memory: documents by id, created at most once, as Elasticsearch's
 * {@code create} does. A test can make the next writes fail, as a refusing cluster would.
 */
public final class InMemoryAlertSink implements AlertSink {

    private final Map<String, AlertDocument> documents = new LinkedHashMap<>();
    private int writes;
    private int failFrom = Integer.MAX_VALUE;

    /** Makes the {@code n}-th write from now (1 for the next) and every later one fail, writing nothing. */
    public synchronized void failFromWrite(int n) {
        failFrom = writes + n;
    }

    /** Lets writes succeed again. */
    public synchronized void heal() {
        failFrom = Integer.MAX_VALUE;
    }

    @Override
    public synchronized Set<String> existing(Collection<String> ids) {
        Set<String> found = new HashSet<>();
        for (String id : ids) {
            if (documents.containsKey(id)) {
                found.add(id);
            }
        }
        return found;
    }

    @Override
    public synchronized WriteResult write(List<AlertGroup> groups) throws AlertWriteException {
        if (++writes >= failFrom) {
            throw new AlertWriteException("the in-memory alerts index refuses writes", WriteSummary.empty(), null);
        }
        List<String> created = new ArrayList<>();
        int writtenDocuments = 0;
        int duplicates = 0;
        for (AlertGroup group : groups) {
            int here = 0;
            for (AlertDocument document : group.documents()) {
                if (documents.putIfAbsent(document.id(), document) == null) {
                    here++;
                }
            }
            writtenDocuments += here;
            if (here > 0) {
                created.add(group.id());
            } else {
                duplicates++;
            }
        }
        return new WriteResult(created, writtenDocuments, duplicates);
    }

    /** Every document written, in write order. */
    public synchronized List<AlertDocument> documents() {
        return List.copyOf(documents.values());
    }

    /** The primary alerts (a sequence's shell, an event query's alert), in write order. */
    public synchronized List<AlertDocument> primaries() {
        return documents.values().stream()
                .filter(d -> d.role() != AlertDocument.Role.BUILDING_BLOCK)
                .toList();
    }
}
