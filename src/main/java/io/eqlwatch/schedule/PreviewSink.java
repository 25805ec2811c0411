package io.eqlwatch.schedule;

import io.eqlwatch.alert.AlertGroup;
import io.eqlwatch.alert.AlertSink;
import io.eqlwatch.alert.WriteResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sink of {@code preview}: writes nothing, keeps the alerts it is given in memory in first-seen
 * order, and counts an alert it already holds as existing, as the alerts index would.
 */
final class PreviewSink implements AlertSink {

    private final Map<String, AlertGroup> groups = new LinkedHashMap<>();
    private final Set<String> documentIds = new HashSet<>();

    @Override
    public Set<String> existing(Collection<String> ids) {
        Set<String> found = new HashSet<>();
        for (String id : ids) {
            if (documentIds.contains(id)) {
                found.add(id);
            }
        }
        return found;
    }

    @Override
    public WriteResult write(List<AlertGroup> toWrite) {
        List<String> created = new ArrayList<>();
        int documents = 0;
        for (AlertGroup group : toWrite) {
            if (groups.putIfAbsent(group.id(), group) == null) {
                created.add(group.id());
                documents += group.documents().size();
                documentIds.addAll(group.documentIds());
            }
        }
        return new WriteResult(created, documents, 0);
    }

    List<AlertGroup> groups() {
        return new ArrayList<>(groups.values());
    }
}
