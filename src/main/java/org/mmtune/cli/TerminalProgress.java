package org.mmtune.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.Stage;
import org.mmtune.train.StageOutcome;
import org.mmtune.train.TrainingListener;

/** A one-line progress bar with ETA on stderr, redrawn with carriage returns (at most 5 times a second). */
final class TerminalProgress implements TrainingListener {

    private static final int WIDTH = 28;
    private final PrintStream out;
    private final String prefix;
    private long stageStartNanos;
    private int stageStartIteration;
    private long lastDraw;
    private boolean open;

    TerminalProgress(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + " ";
    }

    @Override
    public synchronized void onStageStart(Stage stage, int startIteration, int totalIterations) {
        stageStartNanos = System.nanoTime();
        stageStartIteration = startIteration;
        lastDraw = 0;
    }

    @Override
    public synchronized void onIteration(IterationMetrics m) {
        String extra = String.format(Locale.ROOT, "loss %.4f", m.loss());
        Double v = m.extras().get("violatedFraction");
        if (v != null) {
            extra += String.format(Locale.ROOT, " viol %.2f", v);
        }
        Double miou = m.extras().get("valMIoU");
        if (miou != null) {
            extra += String.format(Locale.ROOT, " val mIoU %.3f", miou);
        }
        draw(m.stage(), m.iteration(), m.totalIterations(), extra, m.iteration() == m.totalIterations());
    }

    @Override
    public synchronized void onProgress(Stage stage, int done, int total) {
        if (done == 1 || stageStartNanos == 0) {
            stageStartNanos = System.nanoTime();
            stageStartIteration = 0;
        }
        draw(stage, done, total, "images", done == total);
    }

    private void draw(Stage stage, int done, int total, String extra, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double frac = total > 0 ? Math.min(1, done / (double) total) : 0;
        int fill = (int) Math.round(frac * WIDTH);
        double secs = (now - stageStartNanos) / 1e9;
        int doneHere = done - stageStartIteration;
        String eta = doneHere > 0 && done < total ? time(secs / doneHere * (total - done)) : "--:--";
        out.print(String.format(Locale.ROOT, "\r%s%-8s [%s%s] %3.0f%% %d/%d %s ETA %s   ", prefix, stage.id(),
                "#".repeat(fill), ".".repeat(WIDTH - fill), frac * 100, done, total, extra, eta));
        out.flush();
        open = true;
        if (done >= total) {
            out.println();
            open = false;
        }
    }

    @Override
    public synchronized void onStageEnd(Stage stage, StageOutcome outcome, String message) {
        if (open) {
            out.println();
            open = false;
        }
        if (outcome != StageOutcome.FINISHED) {
            out.println(message);
        }
        stageStartNanos = 0;
    }

    private static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
    }
}
