package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;
import org.mmtune.pipeline.TinyData;

/** VGG-16-BN (width ÷16, tiny inputs) trains: M&amp;M and FCN losses fall, and its checkpoint round-trips. */
class Vgg16TrainingTest {

    private static final NetSpec VGG = new NetSpec(BackboneType.VGG16, 16);

    @Test
    void vggTrainsMixMatchAndFcnAndItsCheckpointRoundTrips(@TempDir Path tmp) throws Exception {
        List<Sample> imgs = TinyData.scenes(4, 96, 96, 21);
        PatchBatchSource fresh = TinyData.patches(imgs, 12, 64, 9);
        PatchBatchSource same = TinyData.repeatingFirst(fresh);
        TinyData.Recorder rec = new TinyData.Recorder();
        List<Double> mm = rec.losses(Stage.MM);
        List<Double> ft = rec.losses(Stage.FINETUNE);
        StageContext ctx = new StageContext(VGG, Device.cpu(), tmp.resolve("ck"), new CancellationToken(),
                List.of(rec), 5);
        TrainingLoop.Result r = MixMatchStage.run(ctx, new MixMatchStage.Settings(8, new LrSchedule(0.01f, 0, 1f),
                0.9f, 5e-4f, 2.1f, 0, 0, 64), same, null, false);
        assertThat(r.outcome()).as(r.message()).isEqualTo(StageOutcome.FINISHED);
        assertThat(TinyData.mean(mm, 5, 8)).as("M&M loss %s", mm).isLessThan(TinyData.mean(mm, 0, 3));

        TrainingLoop.Result f = FinetuneStage.run(ctx, new FinetuneStage.Settings(12, 4, 64,
                new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, true, 0, 0), imgs, List.of(), TinyData.CLASSES,
                TinyData.VOID, Checkpoints.paramsFile(tmp.resolve("ck"), Stage.MM), false);
        assertThat(f.outcome()).as(f.message()).isEqualTo(StageOutcome.FINISHED);
        assertThat(TinyData.mean(ft, 8, 12)).as("FCN loss %s", ft).isLessThan(TinyData.mean(ft, 0, 4));

        Path params = Checkpoints.paramsFile(tmp.resolve("ck"), Stage.FINETUNE);
        assertThat(Checkpoints.header(params).spec()).isEqualTo(VGG);
        Sample s = TinyData.scene("x", 100, 84, 5);
        int[] first;
        try (ExperimentRunner.Loaded l = ExperimentRunner.loadSegmenter(params, 3, Device.cpu())) {
            first = l.segmenter().predict(s.gray(), s.width(), s.height());
            Checkpoints.save(tmp.resolve("copy"), Stage.FINETUNE, l.holder().net(), 12, 12, true);
        }
        try (ExperimentRunner.Loaded l = ExperimentRunner.loadSegmenter(
                Checkpoints.paramsFile(tmp.resolve("copy"), Stage.FINETUNE), 3, Device.cpu())) {
            assertThat(l.segmenter().predict(s.gray(), s.width(), s.height())).isEqualTo(first);
        }
        assertThat(first).hasSize(100 * 84);
    }

}
