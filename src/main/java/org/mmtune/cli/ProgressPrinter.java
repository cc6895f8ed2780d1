package org.mmtune.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.Stage;
import org.mmtune.train.StageOutcome;
import org.mmtune.train.TrainingListener;

/**
 * The progress output of every long command, on stderr. In {@link ProgressMode#BAR} mode one line with a
 * bar and ETA is redrawn with carriage returns (at most 5 times a second) and ended with a newline when the
 * stage is done. In {@link ProgressMode#LINES} mode (stderr is a log file) it prints plain lines, each
 * complete on its own, e.g.
 * <pre>train mm 1200/10000 12% loss 0.4123 viol 0.31 elapsed 02:10 ETA 15:53</pre>
 * only for the first update of a stage, whenever 10% more is done or {@value #LINE_INTERVAL_SECONDS} s have
 * passed since the last line, for finetune evaluation points, and for the last update of a stage.
 * {@link ProgressMode#NONE} prints no progress (a stage that fails or is cancelled still prints why).
 * <p>Use it as a {@link TrainingListener} or call {@link #update} for work of one's own; {@link #finish()}
 * ends whatever is still open.
 */
final class ProgressPrinter implements TrainingListener {

    static final int LINE_INTERVAL_SECONDS = 30;
    private static final long LINE_INTERVAL_NANOS = LINE_INTERVAL_SECONDS * 1_000_000_000L;
    private static final long BAR_INTERVAL_NANOS = 200_000_000L;
    private static final int WIDTH = 28;

    /** The mode the command line asked for (set by {@code mmtune --progress}). */
    private static volatile ProgressMode cliMode;

    private final PrintStream out;
    private final String prefix;
    private final ProgressMode mode;
    private final LongSupplier clock;

    private String stage;
    private long stageStartNanos;
    private boolean stageStarted;
    private int stageStartIteration;
    private long lastDraw;
    private int lastLineDecile;
    private boolean open;
    private String pending;

    ProgressPrinter(PrintStream out, String prefix, ProgressMode mode, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out);
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + " ";
        this.mode = mode.resolve();
        this.clock = nanoClock;
    }

    /** A printer to {@code out} in the mode chosen on the command line (or by {@code MMTUNE_PROGRESS}). */
    static ProgressPrinter forCli(PrintStream out, String prefix) {
        return new ProgressPrinter(out, prefix, cliMode(), System::nanoTime);
    }

    static ProgressMode cliMode() {
        ProgressMode m = cliMode;
        return m != null ? m : ProgressMode.fromEnvironment();
    }

    static void cliMode(ProgressMode mode) {
        cliMode = mode;
    }

    /** BAR, LINES or NONE. */
    ProgressMode mode() {
        return mode;
    }

    @Override
    public synchronized void onStageStart(Stage s, int startIteration, int totalIterations) {
        begin(s.id(), startIteration);
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
        show(m.stage().id(), m.iteration(), m.totalIterations(), extra, miou != null);
    }

    @Override
    public synchronized void onProgress(Stage s, int done, int total) {
        if (done == 1 || !stageStarted || !s.id().equals(stage)) {
            begin(s.id(), done);
        }
        show(s.id(), done, total, "images", false);
    }

    /**
     * Progress of work that is not a {@link TrainingListener} stage: {@code done} (1-based) of {@code total}
     * in {@code stageName} (one word, e.g. {@code predict}); {@code extra} is shown after the count (may be
     * empty). A new stage name starts a new stage.
     */
    synchronized void update(String stageName, int done, int total, String extra) {
        show(stageName, done, total, extra == null ? "" : extra, false);
    }

    @Override
    public synchronized void onStageEnd(Stage s, StageOutcome outcome, String message) {
        finish();
        if (outcome != StageOutcome.FINISHED && message != null) {
            out.println(message);
            out.flush();
        }
        stageStarted = false;
    }

    /** Ends an open bar line; in lines mode prints the last update if it was held back. */
    synchronized void finish() {
        if (open) {
            out.println();
            open = false;
        }
        if (pending != null) {
            out.println(pending);
            pending = null;
        }
        out.flush();
    }

    private void begin(String stageName, int startIteration) {
        finish();
        stage = stageName;
        stageStartNanos = clock.getAsLong();
        stageStarted = true;
        stageStartIteration = startIteration;
        lastDraw = 0;
        lastLineDecile = -1;
    }

    private void show(String stageName, int done, int total, String extra, boolean important) {
        if (!stageStarted || !stageName.equals(stage)) {
            // timed from this first update: the rate (hence the ETA) is known from the next one
            begin(stageName, done);
        }
        switch (mode) {
            case BAR -> bar(done, total, extra);
            case LINES -> line(done, total, extra, important);
            default -> {
            }
        }
    }

    private void bar(int done, int total, String extra) {
        long now = clock.getAsLong();
        boolean last = done >= total;
        if (!last && lastDraw != 0 && now - lastDraw < BAR_INTERVAL_NANOS) {
            return;
        }
        lastDraw = now;
        double frac = fraction(done, total);
        int fill = (int) Math.round(frac * WIDTH);
        out.print(String.format(Locale.ROOT, "\r%s%-8s [%s%s] %3.0f%% %d/%d %s ETA %s   ", prefix, stage,
                "#".repeat(fill), ".".repeat(WIDTH - fill), frac * 100, done, total, extra, eta(now, done, total)));
        out.flush();
        open = true;
        if (last) {
            out.println();
            out.flush();
            open = false;
        }
    }

    private void line(int done, int total, String extra, boolean important) {
        long now = clock.getAsLong();
        double frac = fraction(done, total);
        int decile = (int) Math.floor(frac * 10);
        String text = String.format(Locale.ROOT, "%s%s %d/%d %.0f%%%s elapsed %s ETA %s", prefix, stage, done, total,
                frac * 100, extra.isEmpty() ? "" : " " + extra, time((now - stageStartNanos) / 1e9),
                eta(now, done, total));
        boolean first = lastLineDecile < 0;
        if (first || done >= total || important || decile > lastLineDecile || now - lastDraw >= LINE_INTERVAL_NANOS) {
            out.println(text);
            out.flush();
            lastDraw = now;
            lastLineDecile = decile;
            pending = null;
        } else {
            pending = text;
        }
    }

    private String eta(long now, int done, int total) {
        double secs = (now - stageStartNanos) / 1e9;
        int doneHere = done - stageStartIteration;
        return doneHere > 0 && done < total ? time(secs / doneHere * (total - done)) : "--:--";
    }

    private static double fraction(int done, int total) {
        return total > 0 ? Math.max(0, Math.min(1, done / (double) total)) : 0;
    }

    static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
    }
}
