package io.eqlwatch.cli;

import io.eqlwatch.schedule.RangeRun;
import java.io.PrintWriter;

/**
 * Shows a range run's progress: a bar redrawn in place on a terminal, one plain line per window
 * otherwise (logs and CI keep every line readable).
 */
final class ProgressPrinter implements RangeRun.ProgressListener {

    private static final int BAR = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private long alerts;

    ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    static boolean onTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void windowDone(RangeRun.WindowProgress p) {
        alerts += p.alertsWritten() + (p.alertsWritten() == 0 && p.duplicatesSkipped() == 0 ? p.matches() : 0);
        if (terminal) {
            int filled = (int) Math.round((double) BAR * p.index() / p.total());
            out.printf(
                    "\r[%s%s] %d/%d windows, up to %s, %d alert(s)%s",
                    "#".repeat(filled),
                    " ".repeat(BAR - filled),
                    p.index(),
                    p.total(),
                    p.window().end(),
                    alerts,
                    p.index() == p.total() ? System.lineSeparator() : "");
        } else if (p.resumedPast()) {
            out.printf("window %d/%d %s: done by an earlier run, skipped%n", p.index(), p.total(), p.window());
        } else {
            out.printf(
                    "window %d/%d %s: events read %d, sequences %d, alerts written %d, duplicates skipped %d%n",
                    p.index(),
                    p.total(),
                    p.window(),
                    p.eventsRead(),
                    p.matches(),
                    p.alertsWritten(),
                    p.duplicatesSkipped());
        }
        out.flush();
    }
}
