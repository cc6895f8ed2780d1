package org.mmtune.experiment.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mmtune.util.IoProblems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one run folder, possibly written by another process: each {@link #poll()} returns what changed
 * since the previous poll (new metrics, new log lines, the current status, the newest embedding snapshot).
 * UI-agnostic: call it from a background thread and hand the update to the UI. Not thread-safe.
 */
public final class RunFollower {

    private static final Logger LOG = LoggerFactory.getLogger(RunFollower.class);

    /** How much of an existing log is shown when following starts. */
    private static final long LOG_START_BYTES = 32 * 1024;

    private final Path runDir;
    private final MetricsTailer metrics;
    private final LineTailer log;
    private int lastEmbeddingIteration = -1;

    /**
     * What changed in a poll.
     *
     * @param status        the current status (empty when status.json does not exist yet)
     * @param metrics       metrics appended since the last poll
     * @param metricsReset  true if metrics.jsonl was rewritten: drop what was shown before
     * @param logLines      log lines appended since the last poll
     * @param embeddingFile the newest embedding snapshot if it is newer than the last one reported
     * @param skippedLines  metrics lines skipped so far because they were not metrics objects
     * @param problems      one line per run file that exists but could not be read in this poll, naming the
     *                      file relative to the run folder and the problem ({@code metrics.jsonl: permission
     *                      denied}); empty when all was read
     */
    public record Update(Optional<RunStatus> status, List<MetricPoint> metrics, boolean metricsReset,
                         List<String> logLines, Optional<Path> embeddingFile, int skippedLines,
                         List<String> problems) {
    }

    public RunFollower(Path runDir) {
        this.runDir = runDir;
        this.metrics = new MetricsTailer(runDir);
        this.log = new LineTailer(RunFiles.log(runDir), LOG_START_BYTES);
    }

    public Path runDir() {
        return runDir;
    }

    public Update poll() {
        List<String> problems = new ArrayList<>();
        Optional<RunStatus> status = RunStatus.read(runDir);
        if (status.isEmpty() && RunStatus.unreadable(runDir).isPresent()) {
            problems.add(RunFiles.STATUS + ": permission denied");
        }
        List<MetricPoint> points = List.of();
        boolean reset = false;
        try {
            points = metrics.poll();
            reset = metrics.wasReset();
        } catch (IOException e) {
            LOG.debug("metrics of {}", runDir, e);
            problems.add(RunFiles.METRICS + ": " + IoProblems.describe(e));
        }
        List<String> lines = List.of();
        try {
            lines = log.poll();
        } catch (IOException e) {
            LOG.debug("log of {}", runDir, e);
            problems.add(RunFiles.LOG + ": " + IoProblems.describe(e));
        }
        Optional<Path> emb = Optional.empty();
        try {
            List<Path> files = EmbeddingSnapshot.list(runDir);
            if (!files.isEmpty()) {
                Path newest = files.get(files.size() - 1);
                int it = EmbeddingSnapshot.iterationOf(newest);
                if (it != lastEmbeddingIteration) {
                    lastEmbeddingIteration = it;
                    emb = Optional.of(newest);
                }
            }
        } catch (IOException e) {
            LOG.debug("embeddings of {}", runDir, e);
            problems.add(RunFiles.EMBEDDINGS + ": " + IoProblems.describe(e));
        }
        return new Update(status, points, reset, lines, emb, metrics.skippedLines(), List.copyOf(problems));
    }
}
