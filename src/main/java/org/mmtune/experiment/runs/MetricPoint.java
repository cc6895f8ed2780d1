package org.mmtune.experiment.runs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a run's {@code metrics.jsonl}. Optional values are null when the line does not carry them.
 *
 * @param stage            proxy, mm, finetune or eval
 * @param iteration        the iteration within the stage (1-based as written by the pipeline)
 * @param totalIterations  the stage's planned iterations (0 if not given)
 * @param epoch            the fine-tuning epoch, if any
 * @param loss             the training loss, if any
 * @param lr               the learning rate, if any
 * @param time             wall clock time in epoch seconds (0 if not given)
 * @param elapsedSeconds   seconds since the stage (or run) started, if given
 * @param violatedFraction share of triplets inside the margin (M&M only; with a margin above 2 on non-negative
 *                         L2-normalised embeddings every triplet is, so this stays 1)
 * @param valMIoU          validation mIoU (fine-tuning evaluation points only)
 * @param orderedFraction  share of correctly ordered triplets, ‖a−p‖² &lt; ‖a−n‖² (M&M only)
 * @param meanCosGap       mean cos(a,p) − cos(a,n) over the batch's triplets (M&M only)
 */
public record MetricPoint(String stage, int iteration, int totalIterations, Integer epoch, Double loss, Double lr,
                          double time, Double elapsedSeconds, Double violatedFraction, Double valMIoU,
                          Double orderedFraction, Double meanCosGap) {

    /** Parses one JSON object; throws IllegalArgumentException when it is not a metrics line. */
    static MetricPoint of(JsonNode n) {
        if (n == null || !n.isObject() || RunJson.text(n, "stage") == null) {
            throw new IllegalArgumentException("not a metrics object (no \"stage\")");
        }
        Integer it = RunJson.integer(n, "iteration");
        Integer total = RunJson.integer(n, "totalIterations");
        Double time = RunJson.number(n, "time");
        return new MetricPoint(RunJson.text(n, "stage"), it == null ? 0 : it, total == null ? 0 : total,
                RunJson.integer(n, "epoch"), RunJson.number(n, "loss"), RunJson.number(n, "lr"),
                time == null ? 0 : time, RunJson.number(n, "elapsedSeconds"),
                RunJson.number(n, "violatedFraction"), RunJson.number(n, "valMIoU"),
                RunJson.number(n, "orderedFraction"), RunJson.number(n, "meanCosGap"));
    }

    /** Fraction of the stage done, in [0, 1], or -1 when the total is unknown. */
    public double stageProgress() {
        return totalIterations > 0 ? Math.min(1.0, Math.max(0, iteration) / (double) totalIterations) : -1;
    }
}
