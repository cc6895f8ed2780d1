package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.eval.Segmenter;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.pipeline.TinyData;

class CheckpointTest {

    private static final NetSpec SPEC = new NetSpec(BackboneType.ALEXNET, 16);

    @Test
    void aSavedAndLoadedNetworkPredictsExactlyTheSame(@TempDir Path tmp) throws Exception {
        Sample s = TinyData.scene("x", 100, 84, 5);
        int[] before;
        MmtuneNet net = MmtuneNet.segmentation(SPEC, 3);
        try (StageTrainer st = new StageTrainer("a", net, Device.cpu(), new Shape(1, 1, 96, 96),
                new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, 0)) {
            // move the weights and batch-norm statistics away from their initial values
            net.getParameters().forEach(p -> p.getValue().getArray().addi(0.01f));
            before = new Segmenter(net, st.trainer().getManager()).predict(s.gray(), s.width(), s.height());
            Checkpoints.save(tmp, Stage.FINETUNE, net, 5, 10, false);
        }
        assertThat(Files.exists(tmp.resolve("finetune.params"))).isTrue();
        assertThat(Checkpoints.meta(tmp, Stage.FINETUNE).orElseThrow().iteration()).isEqualTo(5);
        try (ExperimentRunner.Loaded l = ExperimentRunner.loadSegmenter(tmp.resolve("finetune.params"), 3, Device.cpu())) {
            int[] after = l.segmenter().predict(s.gray(), s.width(), s.height());
            assertThat(after).isEqualTo(before);
        }
        // a checkpoint for another network is refused with a plain message
        assertThatThrownBy(() -> ExperimentRunner.loadSegmenter(tmp.resolve("finetune.params"), 5, Device.cpu()))
                .hasMessageContaining("predicts 3 classes");
        Files.writeString(tmp.resolve("bad.params"), "not a checkpoint");
        assertThatThrownBy(() -> Checkpoints.header(tmp.resolve("bad.params")))
                .hasMessageContaining("not an mmtune checkpoint");
    }

    @Test
    void aBackboneMovesFromOneHeadToAnother(@TempDir Path tmp) throws Exception {
        MmtuneNet emb = MmtuneNet.embedding(SPEC);
        float w;
        try (StageTrainer st = new StageTrainer("e", emb, Device.cpu(), new Shape(2, 1, 96, 96),
                new LrSchedule(0.01f, 0, 1f), 0f, 0f, 0)) {
            emb.backbone().getParameters().get(0).getValue().getArray().addi(0.5f);
            w = emb.backbone().getParameters().get(0).getValue().getArray().getFloat(0, 0, 0, 0);
            Checkpoints.save(tmp, Stage.MM, emb, 3, 3, true);
        }
        MmtuneNet seg = MmtuneNet.segmentation(SPEC, 4);
        try (StageTrainer st = new StageTrainer("s", seg, Device.cpu(), new Shape(1, 1, 96, 96),
                new LrSchedule(0.01f, 0, 1f), 0f, 0f, 0)) {
            Checkpoints.loadBackbone(Checkpoints.paramsFile(tmp, Stage.MM), seg);
            assertThat(seg.backbone().getParameters().get(0).getValue().getArray().getFloat(0, 0, 0, 0)).isEqualTo(w);
        }
    }
}
