package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;

/**
 * The NaN of a 10-patch M&amp;M batch (all patches from one image, width divisor 8): the cause was a
 * convolution with 12 input channels, which libtorch's AVX oneDNN kernels compute from uninitialised memory
 * (see {@link KernelCheck}); {@link NetSpec#width} now keeps every count above 8 a multiple of 8.
 */
class TinyBatchTest {

    @Test
    void channelCountsAreAtMostEightOrMultiplesOfEight() {
        int[] full = {64, 96, 128, 256, 384, 512, 1024};
        for (int d = 1; d <= 32; d++) {
            NetSpec s = new NetSpec(BackboneType.ALEXNET, d);
            for (int f : full) {
                int c = s.width(f);
                assertThat(c <= 8 || c % 8 == 0).as("divisor %d, %d channels -> %d", d, f, c).isTrue();
                assertThat(c).isGreaterThanOrEqualTo(Math.max(4, f / d)).isLessThan(Math.max(4, f / d) + 8);
            }
        }
        // the CPU default and the paper's width keep their counts (old checkpoints still load)
        for (int d : new int[] {1, 2, 4}) {
            for (int f : full) {
                assertThat(new NetSpec(BackboneType.ALEXNET, d).width(f)).isEqualTo(f / d);
            }
        }
    }

    @Test
    void theKernelProbePassesWithTheTestsIsa() {
        // surefire runs with ONEDNN_MAX_CPU_ISA=AVX; the probe frees NaN-filled memory before every pass
        assertThat(KernelCheck.probe(3)).isTrue();
    }

    @Test
    void aOneImageBatchTrainsAndStaysFinite(@TempDir Path tmp) throws Exception {
        org.mmtune.experiment.DatasetSource src = org.mmtune.experiment.DatasetSources.standard();
        org.mmtune.data.SegmentationDataset ds = src.open(Path.of("sample-data"));
        List<Sample> one = List.of(src.read(ds, ds.pairs("train").get(0)));
        ExperimentConfig.MixMatch mm = new ExperimentConfig.MixMatch();
        mm.imagesPerBatch = 1;
        mm.patchesPerImage = 10;
        MixMatchSource mix = new MixMatchSource(mm, ds, one, 7);
        // what made the failure depend on luck: the allocator handing back memory that held a NaN
        PatchBatchSource poisoned = it -> {
            try (NDManager m = NDManager.newBaseManager()) {
                KernelCheck.poisonFreedMemory(m);
            }
            return mix.next(it);
        };
        List<Double> losses = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        TrainingListener rec = new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                losses.add(m.loss());
            }
        };
        StageContext ctx = new StageContext(new NetSpec(BackboneType.ALEXNET, 8), Device.cpu(), tmp,
                new CancellationToken(), List.of(rec), 7);
        MixMatchStage.Settings s = new MixMatchStage.Settings(5, new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, 2.1f,
                0, 0, mm.outSize);
        PatchBatchSource counting = it -> {
            PatchBatch b = poisoned.next(it);
            counts.add(b.count());
            return b;
        };
        TrainingLoop.Result r = MixMatchStage.run(ctx, s, counting, null, false);
        assertThat(r.outcome()).as(r.message()).isEqualTo(StageOutcome.FINISHED);
        assertThat(counts).allSatisfy(c -> assertThat(c).isBetween(2, 10));
        assertThat(losses).hasSize(5).allSatisfy(l -> assertThat(l).isFinite());
    }
}
