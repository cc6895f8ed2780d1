package org.mmtune.experiment.runs;

import java.nio.file.Path;
import java.util.List;

/**
 * The names of the files and folders of a run folder, in one place. The pipeline writes them
 * ({@link org.mmtune.experiment.RunFolder}, the trainer's checkpoints, the evaluator's predictions); the
 * commands, the workbench and the readers of this package find them here:
 * <pre>
 *   config.json          the resolved experiment
 *   status.json          state, stage, message, pid, times (rewritten atomically)
 *   metrics.jsonl        one JSON object per iteration
 *   run.log              human-readable log lines
 *   run.lock             held by the one process writing the run
 *   results.json         the evaluation on the validation split
 *   checkpoints/         STAGE.params + STAGE.json
 *   embeddings/          mm-NNNNNN.json, 2-D PCA of M&amp;M batch embeddings
 *   predictions/         ID.png palette predictions
 *   overlays/            ID.png predictions over the image
 * </pre>
 * An ablation's runs folder holds one run folder per arm and the table ({@link #ABLATION_MD},
 * {@link #ABLATION_CSV}).
 */
public final class RunFiles {

    public static final String CONFIG = "config.json";
    public static final String STATUS = "status.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String LOG = "run.log";
    public static final String LOCK = "run.lock";
    public static final String RESULTS = "results.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String EMBEDDINGS = "embeddings";
    public static final String PREDICTIONS = "predictions";
    public static final String OVERLAYS = "overlays";
    /** The sub-folders a run writes into. */
    public static final List<String> FOLDERS = List.of(CHECKPOINTS, EMBEDDINGS, PREDICTIONS, OVERLAYS);

    public static final String ABLATION_JSON = "ablation.json";
    public static final String ABLATION_MD = "ablation.md";
    public static final String ABLATION_CSV = "ablation.csv";

    private RunFiles() {
    }

    public static Path config(Path run) {
        return run.resolve(CONFIG);
    }

    public static Path status(Path run) {
        return run.resolve(STATUS);
    }

    public static Path metrics(Path run) {
        return run.resolve(METRICS);
    }

    public static Path log(Path run) {
        return run.resolve(LOG);
    }

    public static Path lock(Path run) {
        return run.resolve(LOCK);
    }

    public static Path results(Path run) {
        return run.resolve(RESULTS);
    }

    public static Path checkpoints(Path run) {
        return run.resolve(CHECKPOINTS);
    }

    public static Path embeddings(Path run) {
        return run.resolve(EMBEDDINGS);
    }

    public static Path predictions(Path run) {
        return run.resolve(PREDICTIONS);
    }

    public static Path overlays(Path run) {
        return run.resolve(OVERLAYS);
    }

    /** The name of the embedding snapshot of an M&amp;M iteration ({@code mm-000120.json}). */
    public static String embeddingSnapshot(int iteration) {
        return String.format(java.util.Locale.ROOT, "mm-%06d.json", iteration);
    }

    /** Matches the names {@link #embeddingSnapshot(int)} gives; group 1 is the iteration. */
    static final java.util.regex.Pattern EMBEDDING_SNAPSHOT = java.util.regex.Pattern.compile("mm-(\\d+)\\.json");
}
