package org.mmtune.train;

import java.util.Map;

/**
 * What one training iteration reports (one line of {@code metrics.jsonl}).
 *
 * @param iteration       1-based iteration within the stage
 * @param time            wall-clock time, seconds since the epoch
 * @param elapsedSeconds  seconds since the stage started (in this process)
 * @param extras          stage-specific values: {@code violatedFraction}, {@code orderedFraction}, {@code meanCosGap} (mm), {@code valMIoU} (finetune
 *                        evaluation points), {@code dataPrepMs}, {@code epoch}
 */
public record IterationMetrics(Stage stage, int iteration, int totalIterations, double loss, double lr,
                               double time, double elapsedSeconds, Map<String, Double> extras) {
}
