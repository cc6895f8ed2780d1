package org.mmtune.ui.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import org.mmtune.experiment.runs.MetricPoint;
import org.mmtune.experiment.runs.RunFollower;
import org.mmtune.experiment.runs.RunState;
import org.mmtune.experiment.runs.RunStatus;
import org.mmtune.experiment.runs.TrainProcess;
import org.mmtune.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queued training run: starts {@code mmtune train} as a child process on a config file, follows the
 * run folder it writes (progress, stage, ETA in the task's message) and, when cancelled, destroys the
 * child's process tree. Its value is the run's final state.
 */
final class TrainJob extends Task<RunState> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    private static final long POLL_MS = 300;

    private final String configJson;
    private final Path runDir;
    private final String device;
    private final Consumer<TrainJob> onStart;
    private volatile TrainProcess process;
    private volatile boolean detached;
    /** When the child was started (epoch ms), 0 while queued. */
    volatile long startedAt;

    TrainJob(String title, String configJson, Path runDir, String device, Consumer<TrainJob> onStart) {
        this.configJson = configJson;
        this.runDir = runDir;
        this.device = device;
        this.onStart = onStart;
        updateTitle(title);
        updateMessage("queued");
    }

    Path runDir() {
        return runDir;
    }

    /** Leaves the child running when the application quits (its run folder keeps being written). */
    void detach() {
        detached = true;
        cancel(true);
    }

    @Override
    protected RunState call() throws Exception {
        Files.createDirectories(runDir.getParent());
        Path config = Files.createTempFile("mmtune-config-", ".json");
        TrainProcess p = null;
        try {
            AtomicFiles.writeString(config, configJson);
            updateMessage("starting " + runDir.getFileName());
            p = TrainProcess.start(config, runDir, device, List.of());
            startedAt = System.currentTimeMillis();
            process = p;
            onStart.accept(this);
            RunFollower follower = new RunFollower(runDir);
            StageClock clock = new StageClock();
            while (true) {
                boolean exited = p.waitFor(POLL_MS);
                if (isCancelled()) {
                    return stop(p);
                }
                RunFollower.Update u = follower.poll();
                report(u, clock);
                if (exited) {
                    return finish(p, follower, clock);
                }
            }
        } catch (InterruptedException e) {
            if (p != null) {
                return stop(p);
            }
            throw e;
        } finally {
            Files.deleteIfExists(config);
            if (p != null && !detached) {
                p.cleanup();
            }
        }
    }

    private RunState stop(TrainProcess p) {
        if (detached) {
            LOG.info("leaving run {} running (pid {})", runDir, p.pid());
            return RunState.RUNNING;
        }
        updateMessage("cancelling…");
        p.destroyTree(10_000);
        return RunState.CANCELLED;
    }

    private RunState finish(TrainProcess p, RunFollower follower, StageClock clock) throws Exception {
        RunFollower.Update last = follower.poll();
        report(last, clock);
        int code = p.exitCode().orElse(-1);
        Optional<RunStatus> status = RunStatus.read(runDir);
        RunState state = status.map(RunStatus::state).orElse(RunState.UNKNOWN);
        if (code == 0 && (state == RunState.FINISHED || state == RunState.UNKNOWN)) {
            updateProgress(1, 1);
            updateMessage("finished");
            return RunState.FINISHED;
        }
        List<String> console = p.consoleTail(3);
        String why = status.map(RunStatus::message).filter(m -> !m.isBlank())
                .orElse(console.isEmpty() ? "exit code " + code : console.get(console.size() - 1));
        throw new TrainJobException(runDir.getFileName() + " " + (state == RunState.UNKNOWN ? "failed" : state.label())
                + ": " + why);
    }

    private void report(RunFollower.Update u, StageClock clock) {
        for (MetricPoint m : u.metrics()) {
            clock.add(m);
        }
        String stage = u.status().map(RunStatus::stage).filter(x -> !x.isBlank()).orElse(clock.stage);
        MetricPoint last = clock.last;
        if (last == null) {
            updateMessage(stage == null ? "starting…" : stage + " · starting…");
            return;
        }
        if (last.totalIterations() > 0) {
            updateProgress(Math.min(last.iteration(), last.totalIterations()), last.totalIterations());
        } else {
            updateProgress(-1, 1);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(last.stage()).append(' ').append(last.iteration());
        if (last.totalIterations() > 0) {
            sb.append('/').append(last.totalIterations());
        }
        if (last.loss() != null) {
            sb.append(String.format(" · loss %.3f", last.loss()));
        }
        Duration eta = clock.eta();
        if (eta != null) {
            sb.append(" · ETA ").append(formatDuration(eta));
        }
        updateMessage(sb.toString());
    }

    static String formatDuration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** Estimates the time left in the current stage from its own pace. */
    static final class StageClock {
        String stage;
        MetricPoint first;
        MetricPoint last;

        void add(MetricPoint m) {
            if (!m.stage().equals(stage)) {
                stage = m.stage();
                first = m;
            }
            last = m;
        }

        Duration eta() {
            if (first == null || last == null || last.totalIterations() <= 0 || last.iteration() <= first.iteration()) {
                return null;
            }
            double dt = seconds(last) - seconds(first);
            if (!(dt > 0)) {
                return null;
            }
            double perIter = dt / (last.iteration() - first.iteration());
            int left = Math.max(0, last.totalIterations() - last.iteration());
            return Duration.ofMillis(Math.round(perIter * left * 1000));
        }

        private static double seconds(MetricPoint m) {
            return m.elapsedSeconds() != null ? m.elapsedSeconds() : m.time();
        }
    }

    /** A run ended other than finished; the message is one line for the job list. */
    static final class TrainJobException extends Exception {
        TrainJobException(String message) {
            super(message);
        }
    }
}
