package io.eqlwatch.engine;

import io.eqlwatch.eql.ast.Pipe;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies {@code | head N} and {@code | tail N} in the order written. {@code head} streams and tells
 * the runner when nothing more can pass; {@code tail} keeps only the last N (a bounded buffer) and
 * hands them on, oldest first, when the stream ends: Elasticsearch returns tail results in
 * ascending order too.
 */
final class PipeChain implements Consumer<Match> {

    private final Stage first;
    private long returned;

    PipeChain(List<Pipe> pipes, Consumer<Match> sink) {
        Stage next = new Sink(match -> {
            returned++;
            sink.accept(match);
        });
        for (int i = pipes.size() - 1; i >= 0; i--) {
            Pipe pipe = pipes.get(i);
            next = pipe instanceof Pipe.Head head ? new Head(head.count(), next) : new Tail(pipe.count(), next);
        }
        this.first = next;
    }

    @Override
    public void accept(Match match) {
        first.accept(match);
    }

    /** {@code true} when no further match could be returned, so the input need not be read further. */
    boolean saturated() {
        return first.saturated();
    }

    void finish() {
        first.finish();
    }

    long returned() {
        return returned;
    }

    private interface Stage extends Consumer<Match> {
        boolean saturated();

        void finish();
    }

    private record Sink(Consumer<Match> target) implements Stage {
        @Override
        public void accept(Match match) {
            target.accept(match);
        }

        @Override
        public boolean saturated() {
            return false;
        }

        @Override
        public void finish() {}
    }

    private static final class Head implements Stage {
        private final int limit;
        private final Stage next;
        private int passed;

        Head(int limit, Stage next) {
            this.limit = limit;
            this.next = next;
        }

        @Override
        public void accept(Match match) {
            if (passed < limit) {
                passed++;
                next.accept(match);
            }
        }

        @Override
        public boolean saturated() {
            return passed >= limit || next.saturated();
        }

        @Override
        public void finish() {
            next.finish();
        }
    }

    private static final class Tail implements Stage {
        private final int limit;
        private final Stage next;
        private final ArrayDeque<Match> last = new ArrayDeque<>();

        Tail(int limit, Stage next) {
            this.limit = limit;
            this.next = next;
        }

        @Override
        public void accept(Match match) {
            if (limit == 0) {
                return;
            }
            if (last.size() == limit) {
                last.removeFirst();
            }
            last.addLast(match);
        }

        @Override
        public boolean saturated() {
            // What a tail keeps depends on the matches still to come, and nothing passes a full head after it.
            return limit == 0 || next.saturated();
        }

        @Override
        public void finish() {
            while (!last.isEmpty()) {
                next.accept(last.removeFirst());
            }
            next.finish();
        }
    }
}
