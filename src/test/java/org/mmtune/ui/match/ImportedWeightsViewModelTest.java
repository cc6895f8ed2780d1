package org.mmtune.ui.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.CheckpointEmbedder;
import org.mmtune.nn.weights.WeightFiles;
import org.mmtune.train.Checkpoints;
import org.mmtune.ui.results.ResultsViewModel;

/** What the workbench's Load checkpoint…, initCheckpoint chooser and Export backbone… do, through their view models. */
class ImportedWeightsViewModelTest {

    private static final Path DIR = Path.of("src/test/resources/weights");

    @Test
    void loadCheckpointImportsAWeightsFileAndFindsItsBackbone() throws Exception {
        assertThat(MatchViewModel.checkpointPatterns()).contains("*.params", "*.pth", "*.safetensors", "*.npz");
        MatchViewModel.Loaded l = MatchViewModel.loadCheckpointOrWeights(DIR.resolve("vgg16_bn.pth"));
        try (CheckpointEmbedder e = l.embedder()) {
            assertThat(l.report().backbone()).isEqualTo("vgg16");
            assertThat(l.report().widthDivisor()).isEqualTo(16);
            assertThat(l.report().summary()).contains("matched 78 tensors");
            assertThat(e.describe()).contains("vgg16 ÷16");
        }
        assertThatThrownBy(() -> MatchViewModel.loadCheckpointOrWeights(DIR.resolve("tv_alexnet.pth")))
                .isInstanceOf(IOException.class)
                .hasMessage(DIR.resolve("tv_alexnet.pth") + ": fits none of mmtune's backbones at width divisors 1 to 64 "
                        + "with the automatic mapping; use mmtune weights import --backbone TYPE --width-divisor N "
                        + "[--map MAP.json]");
    }

    @Test
    void theTrainFormImportsForItsBackboneAndTheResultsViewExports(@TempDir Path tmp) throws Exception {
        // TrainViewModel.importInitCheckpoint: the form's backbone, into <runs>/imports/
        assertThat(WeightFiles.isImportable(DIR.resolve("alexnet_f64.npz"))).isTrue();
        assertThat(WeightFiles.isImportable(tmp.resolve("x.params"))).isFalse();
        var imp = org.mmtune.experiment.WeightImports.importFor(DIR.resolve("alexnet_f64.npz"), "alexnet", 16,
                tmp.resolve("runs/imports"));
        assertThat(imp.params()).isEqualTo(tmp.resolve("runs/imports/alexnet_f64-alexnet-w16.params"));
        assertThat(Checkpoints.header(imp.params()).spec().widthDivisor()).isEqualTo(16);
        assertThat(tmp.resolve("runs/imports/alexnet_f64-alexnet-w16.report.json")).exists();

        // a run folder whose M&M checkpoint is the imported one
        Path run = tmp.resolve("runs/r1");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.copy(imp.params(), run.resolve("checkpoints/mm.params"));
        String msg = ResultsViewModel.exportBackbone(run, tmp.resolve("out.npz"));
        assertThat(msg).contains("Exported 30 tensors").contains("mm.params");
        assertThat(WeightFiles.read(tmp.resolve("out.npz"))).containsKey("features.15.running_var");
    }
}
