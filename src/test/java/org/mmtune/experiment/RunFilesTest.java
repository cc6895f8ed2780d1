package org.mmtune.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.runs.EmbeddingSnapshot;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.experiment.runs.RunState;
import org.mmtune.experiment.runs.RunStatus;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.train.PatchInfo;

/**
 * The run folder's on-disk names (written literally here: they are the format other tools read) are the
 * ones {@link RunFiles} gives, and what {@link RunFolder} writes there the readers of the runs package find.
 */
class RunFilesTest {

    @Test
    void theWriterAndTheReadersMeetAtTheNamedFiles(@TempDir Path run) throws Exception {
        try (RunFolder folder = RunFolder.open(run, false)) {
            folder.writeConfig(ExperimentConfigs.preset("quick"));
            folder.status("running", "mm", "");
            folder.log("hello");
            folder.onEmbeddings(new org.mmtune.train.EmbeddingSnapshot(120, new int[] {0, 1},
                    new double[][] {{0, 0}, {1, 1}}, List.of(new PatchInfo("a", 5, 5, 8, 0), new PatchInfo("b", 6, 6, 8, 1))));
            assertThat(run.resolve("run.lock")).isEqualTo(RunFiles.lock(run)).isRegularFile();
        }
        assertThat(run.resolve("config.json")).isEqualTo(RunFiles.config(run)).isRegularFile();
        assertThat(run.resolve("status.json")).isEqualTo(RunFiles.status(run)).isRegularFile();
        assertThat(run.resolve("metrics.jsonl")).isEqualTo(RunFiles.metrics(run)).isRegularFile();
        assertThat(run.resolve("run.log")).isEqualTo(RunFiles.log(run)).content().contains("hello");
        assertThat(run.resolve("checkpoints")).isEqualTo(RunFiles.checkpoints(run)).isDirectory();
        assertThat(run.resolve("embeddings/mm-000120.json"))
                .isEqualTo(RunFiles.embeddings(run).resolve(RunFiles.embeddingSnapshot(120))).isRegularFile();
        assertThat(RunFiles.results(run)).isEqualTo(run.resolve("results.json"));
        assertThat(RunFiles.predictions(run)).isEqualTo(run.resolve("predictions"));
        assertThat(RunFiles.overlays(run)).isEqualTo(run.resolve("overlays"));

        assertThat(RunSummary.isRunFolder(run)).isTrue();
        assertThat(RunStatus.read(run)).get().extracting(RunStatus::state).isEqualTo(RunState.RUNNING);
        assertThat(EmbeddingSnapshot.list(run)).containsExactly(RunFiles.embeddings(run).resolve("mm-000120.json"));
        assertThat(EmbeddingSnapshot.iterationOf(Files.list(RunFiles.embeddings(run)).findFirst().orElseThrow()))
                .isEqualTo(120);
    }
}
