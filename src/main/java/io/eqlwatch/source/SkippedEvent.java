package io.eqlwatch.source;

/**
 * A document a read could not use and left out, so that one bad document costs itself and not its window.
 *
 * @param index  the concrete index it lives in
 * @param id     its {@code _id}
 * @param reason why it was left out, e.g. {@code @timestamp is missing}
 */
public record SkippedEvent(String index, String id, String reason) {

    @Override
    public String toString() {
        return index + "/" + id + " (" + reason + ")";
    }
}
