package org.mmtune.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop every stage runs: for each iteration it checks cancellation, opens a sub-manager
 * that owns every NDArray of the batch (closed at the end of the iteration, so native memory stays flat),
 * runs the stage's step, reports metrics to the listeners and writes checkpoints periodically, on
 * cancellation and at the end. A NaN/infinite loss stops the stage (the step is not applied, the last
 * checkpoint on disk stays the last good one).
 */
public final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    /** One iteration's work: build the batch under {@code batchManager}, forward, backward, update. */
    @FunctionalInterface
    public interface Step {
        StepResult run(NDManager batchManager, int iteration) throws Exception;
    }

    /** The loss of an iteration and any stage-specific values (see {@link IterationMetrics#extras()}). */
    public record StepResult(double loss, Map<String, Double> extras) {
        public static StepResult of(double loss) {
            return new StepResult(loss, Map.of());
        }
    }

    /** Writes a checkpoint after {@code iterationsDone} iterations ({@code complete} at the end of the stage). */
    @FunctionalInterface
    public interface Checkpointer {
        void save(int iterationsDone, boolean complete) throws IOException;
    }

    /** Result of a stage's loop. */
    public record Result(StageOutcome outcome, int iterationsDone, String message) {
    }

    private TrainingLoop() {
    }

    /**
     * Runs iterations {@code start+1 .. total}.
     *
     * @param checkpointEvery write a checkpoint every this many iterations (0 = only at the end / on cancel)
     */
    public static Result run(Stage stage, int start, int total, NDManager manager, Step step, LrSchedule lr,
                             int checkpointEvery, Checkpointer checkpointer, CancellationToken cancel,
                             List<TrainingListener> listeners) throws IOException {
        listeners.forEach(l -> l.onStageStart(stage, start, total));
        long t0 = System.nanoTime();
        int done = start;
        for (int it = start + 1; it <= total; it++) {
            if (cancel.isCancelled()) {
                checkpointer.save(done, false);
                String msg = stage.id() + " cancelled after iteration " + done + " of " + total;
                listeners.forEach(l -> l.onStageEnd(stage, StageOutcome.CANCELLED, msg));
                return new Result(StageOutcome.CANCELLED, done, msg);
            }
            StepResult r;
            try (NDManager batch = manager.newSubManager()) {
                r = step.run(batch, it);
            } catch (NonFiniteLossException e) {
                String msg = stage.id() + " stopped at iteration " + it + ": " + e.getMessage()
                        + "; the last good checkpoint is kept";
                LOG.warn(msg);
                listeners.forEach(l -> l.onStageEnd(stage, StageOutcome.FAILED, msg));
                return new Result(StageOutcome.FAILED, done, msg);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            done = it;
            double now = System.currentTimeMillis() / 1000.0;
            IterationMetrics m = new IterationMetrics(stage, it, total, r.loss(), lr.at(it - 1), now,
                    (System.nanoTime() - t0) / 1e9, r.extras());
            listeners.forEach(l -> l.onIteration(m));
            if (checkpointEvery > 0 && it % checkpointEvery == 0 && it < total) {
                checkpointer.save(it, false);
            }
        }
        checkpointer.save(done, true);
        String msg = stage.id() + " finished " + total + " iterations";
        listeners.forEach(l -> l.onStageEnd(stage, StageOutcome.FINISHED, msg));
        return new Result(StageOutcome.FINISHED, done, msg);
    }

    /** Throws {@link NonFiniteLossException} when {@code loss} is NaN or infinite. */
    public static void checkFinite(float loss) {
        if (Float.isNaN(loss) || Float.isInfinite(loss)) {
            throw new NonFiniteLossException("loss is " + loss);
        }
    }
}
