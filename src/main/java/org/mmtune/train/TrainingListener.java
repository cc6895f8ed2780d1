package org.mmtune.train;

/** Observes training; every method has a no-op default. Called on the training thread. */
public interface TrainingListener {

    /** A stage starts at {@code startIteration} (0 = fresh, else resumed) of {@code totalIterations}. */
    default void onStageStart(Stage stage, int startIteration, int totalIterations) {
    }

    default void onIteration(IterationMetrics metrics) {
    }

    default void onEmbeddings(EmbeddingSnapshot snapshot) {
    }

    /** A stage ends; {@code message} says why when it did not finish. */
    default void onStageEnd(Stage stage, StageOutcome outcome, String message) {
    }

    /** Progress of work that is not an SGD iteration (e.g. evaluation): {@code done} of {@code total}. */
    default void onProgress(Stage stage, int done, int total) {
    }

    /**
     * A stage that starts fresh (not resumed) has its starting weights in {@code net}: seeded initial values,
     * with a loaded backbone where the stage inherits one. Called before the first iteration; do not keep
     * {@code net} (it is closed with the stage).
     */
    default void onInitialWeights(Stage stage, org.mmtune.nn.MmtuneNet net) {
    }

    /** A line for the run log. */
    default void onMessage(String message) {
    }
}
