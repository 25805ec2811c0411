package io.eqlwatch.eql.ast;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where in the query text the parser found each node, for problems found after parsing (the analysis pass)
 * to point at. Keyed by node identity: two equal field references at different places are different nodes.
 * Queries built by hand have none.
 */
public final class SourcePositions {

    public static final SourcePositions NONE = new SourcePositions(Map.of());

    private final Map<Object, Position> byNode;

    private SourcePositions(Map<Object, Position> byNode) {
        this.byNode = byNode;
    }

    /** 1-based line and column of a node's first character. */
    public record Position(int line, int column) {}

    public Optional<Position> of(Object node) {
        return Optional.ofNullable(byNode.get(node));
    }

    /** Collects positions while parsing. */
    public static final class Builder {
        private final Map<Object, Position> byNode = new IdentityHashMap<>();

        public void put(Object node, int line, int column) {
            byNode.putIfAbsent(node, new Position(line, column));
        }

        public SourcePositions build() {
            return new SourcePositions(byNode);
        }
    }
}
