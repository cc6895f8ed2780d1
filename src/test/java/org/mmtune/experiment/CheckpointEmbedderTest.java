package org.mmtune.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.mix.Patch;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;

/** The Match view's network embeddings come from a real pipeline checkpoint. */
class CheckpointEmbedderTest {

    @Test
    void embedsPatchesWithARunsCheckpoint(@TempDir Path run) throws Exception {
        Path dir = run.resolve("checkpoints");
        MmtuneNet net = MmtuneNet.embedding(new NetSpec(BackboneType.ALEXNET, 8));
        try (Model model = Model.newInstance("test")) {
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 128, 128));
            Checkpoints.save(dir, Stage.MM, net, 10, 10, true);
        }
        assertThat(CheckpointEmbedder.checkpointOfRun(run)).isEqualTo(Checkpoints.paramsFile(dir, Stage.MM));

        int w = 160;
        int h = 120;
        byte[] rgb = new byte[3 * w * h];
        new Random(1).nextBytes(rgb);
        Sample s = new Sample("x", w, h, rgb, new byte[w * h], 255);
        List<Patch> patches = List.of(new Patch(0, "x", 40, 40, 64, 0, 1.0), new Patch(0, "x", 100, 60, 96, 0, 1.0),
                new Patch(0, "x", 150, 110, 128, 0, 1.0));
        try (CheckpointEmbedder e = CheckpointEmbedder.load(CheckpointEmbedder.checkpointOfRun(run))) {
            float[][] rows = e.embed(List.of(s, s, s), patches, 128);
            assertThat(rows).hasNumberOfRows(3);
            for (float[] r : rows) {
                double norm = 0;
                for (float v : r) {
                    norm += v * v;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            }
            assertThat(rows[0]).isNotEqualTo(rows[1]);
            // the same patch alone gives the same row (up to float rounding of another batch size)
            assertThat(e.embed(List.of(s), patches.subList(0, 1), 128)[0]).usingComparatorWithPrecision(1e-4f)
                    .containsExactly(rows[0]);
            assertThat(e.describe()).contains("mm.params").contains("L2-normalised");
        }
    }

    @Test
    void aFileThatIsNoCheckpointGivesOneLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("mm.params");
        Files.writeString(bad, "not a checkpoint");
        assertThatThrownBy(() -> CheckpointEmbedder.load(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("mm.params").hasMessageNotContaining("\n");
    }
}
