package io.eqlwatch.source;

/**
 * What a search page asks of each hit's {@code _source} when the rule reads only some fields. Either way the events
 * carry exactly those fields: the decoder keeps only their slots.
 */
public enum SourceFetch {
    /**
     * Only the fields the rules read ({@code _source.includes}): fewer bytes on the wire, but the cluster parses and
     * writes every document again to filter it.
     */
    FILTERED,
    /**
     * The whole {@code _source}, which the cluster copies as stored: more bytes, less of the cluster's CPU. Faster
     * where bytes are cheap, e.g. with eqlwatch on the cluster's host.
     */
    WHOLE
}
