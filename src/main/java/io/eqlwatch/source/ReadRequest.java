package io.eqlwatch.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to read: events of {@code indices} (names or patterns) that match {@code filter} and whose
 * {@code rangeField} lies in [{@code from}, {@code to}] (both inclusive), ordered by {@code timestampField},
 * then {@code tiebreakerField} (when set), then their place in the shard.
 *
 * @param indices         index names or patterns, e.g. {@code logs-endpoint.events.file-*}
 * @param filter          a query-DSL query object (e.g. {@code {"bool": {...}}}) or null for all events
 * @param from            start of the window, inclusive
 * @param to              end of the window, inclusive
 * @param timestampField  the field events are ordered by and {@link io.eqlwatch.event.Event#timestamp()} comes
 *                        from; default {@code @timestamp}
 * @param rangeField      the field the window applies to; default the timestamp field. A rule's
 *                        {@code timestamp_override} (e.g. {@code event.ingested}) goes here
 * @param tiebreakerField optional field ordering events with equal timestamps (e.g. {@code event.sequence})
 * @param pageSize        hits per search request
 * @param keepAlive       how long the point in time lives between two pages
 * @param sourceFields    the only source fields to fetch (the ordering, window and tiebreaker fields are always
 *                        added), or null for the whole {@code _source}
 */
public record ReadRequest(
        List<String> indices,
        JsonNode filter,
        Instant from,
        Instant to,
        String timestampField,
        String rangeField,
        String tiebreakerField,
        int pageSize,
        Duration keepAlive,
        Set<String> sourceFields) {

    public static final String DEFAULT_TIMESTAMP_FIELD = "@timestamp";
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(2);

    public ReadRequest {
        indices = List.copyOf(indices);
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("No index to read events from");
        }
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("Window ends (" + to + ") before it starts (" + from + ")");
        }
        if (filter != null && filter.isNull()) {
            filter = null;
        }
        if (filter != null && !filter.isObject()) {
            throw new IllegalArgumentException("The filter must be a query-DSL object, got: " + filter);
        }
        timestampField = timestampField == null ? DEFAULT_TIMESTAMP_FIELD : timestampField;
        rangeField = rangeField == null ? timestampField : rangeField;
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("Page size must be 1..10000, got " + pageSize);
        }
        keepAlive = keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive;
        if (sourceFields != null) {
            Set<String> fields = new TreeSet<>(sourceFields);
            fields.add(timestampField);
            fields.add(rangeField);
            if (tiebreakerField != null) {
                fields.add(tiebreakerField);
            }
            sourceFields = Collections.unmodifiableSet(fields);
        }
    }

    /** Defaults: {@code @timestamp} for ordering and window, no tiebreaker, 1000 per page, 2 min keep-alive. */
    public static ReadRequest of(List<String> indices, JsonNode filter, Instant from, Instant to) {
        return new ReadRequest(indices, filter, from, to, null, null, null, DEFAULT_PAGE_SIZE, null, null);
    }

    public ReadRequest withTimestampField(String field) {
        // The window follows the ordering field unless it was set apart.
        String range = rangeField.equals(timestampField) ? field : rangeField;
        return new ReadRequest(
                indices, filter, from, to, field, range, tiebreakerField, pageSize, keepAlive, sourceFields);
    }

    public ReadRequest withRangeField(String field) {
        return new ReadRequest(
                indices, filter, from, to, timestampField, field, tiebreakerField, pageSize, keepAlive, sourceFields);
    }

    public ReadRequest withTiebreakerField(String field) {
        return new ReadRequest(
                indices, filter, from, to, timestampField, rangeField, field, pageSize, keepAlive, sourceFields);
    }

    public ReadRequest withPageSize(int size) {
        return new ReadRequest(
                indices, filter, from, to, timestampField, rangeField, tiebreakerField, size, keepAlive, sourceFields);
    }

    /**
     * Fetch only these source fields (as Elasticsearch's source filtering selects them: nested objects and
     * dotted keys alike), e.g. the fields a rule's conditions and keys read; null for the whole source.
     */
    public ReadRequest withSourceFields(Collection<String> fields) {
        return new ReadRequest(
                indices,
                filter,
                from,
                to,
                timestampField,
                rangeField,
                tiebreakerField,
                pageSize,
                keepAlive,
                fields == null ? null : new TreeSet<>(fields));
    }
}
