package io.eqlwatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The daemon's output, read from a file rather than a pipe: a pipe read while the process exits
 * can lose its last lines, which are exactly the shutdown lines the daemon tests check.
 */
final class DaemonLog {
    private final Path file;
    private int consumed;

    DaemonLog(Path file) {
        this.file = file;
    }

    void await(String fragment, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int at = text.indexOf(fragment, consumed);
            if (at >= 0) {
                consumed = at + fragment.length();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon did not log '" + fragment + "' within " + timeout
                        + "; since the last check it logged:\n" + text.substring(Math.min(consumed, text.length())));
            }
            Thread.sleep(200);
        }
    }
}
