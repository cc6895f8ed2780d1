package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.nn.TripletLoss;
import org.mmtune.pipeline.TinyData;

/** Data-parallel training, tested with several replicas on the CPU (there is no GPU here). */
class DataParallelTest {

    private static final NetSpec SPEC = new NetSpec(BackboneType.ALEXNET, 16);
    private static final int SIDE = 72;
    private static final Shape IN = new Shape(2, 1, SIDE, SIDE);
    private static final List<Device> TWO_CPUS = List.of(Device.cpu(), Device.cpu());

    private static List<float[]> values(MmtuneNet net, boolean gradients) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (gradients && !p.getValue().requiresGradient()) {
                continue;
            }
            NDArray a = p.getValue().getArray();
            out.add((gradients ? a.getGradient() : a).toFloatArray());
        }
        return out;
    }

    private static void assertClose(List<float[]> a, List<float[]> b, float tol) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).hasSameSizeAs(a.get(i));
            for (int j = 0; j < a.get(i).length; j++) {
                assertThat(b.get(i)[j]).as("array %d element %d", i, j).isCloseTo(a.get(i)[j], within(tol));
            }
        }
    }

    @Test
    void aTwoShardStepEqualsTheOneDeviceStepWithFrozenBatchNorm() {
        LrSchedule lr = new LrSchedule(0.01f, 0, 1f);
        MmtuneNet one = MmtuneNet.embedding(SPEC);
        MmtuneNet two = MmtuneNet.embedding(SPEC);
        try (StageTrainer a = new StageTrainer("one", one, Device.cpu(), IN, lr, 0.9f, 5e-4f, 0);
             StageTrainer b = new StageTrainer("two", two, Device.cpu(), IN, lr, 0.9f, 5e-4f, 0)) {
            List<Pair<String, Parameter>> pa = one.getParameters().stream().toList();
            List<Pair<String, Parameter>> pb = two.getParameters().stream().toList();
            for (int i = 0; i < pa.size(); i++) {
                pb.get(i).getValue().getArray().set(pa.get(i).getValue().getArray().toByteBuffer());
            }
            b.enableDataParallel(TWO_CPUS, () -> MmtuneNet.embedding(SPEC), IN);
            DataParallel dp = b.dataParallel();
            assertThat(dp.size()).isEqualTo(2);
            assertClose(values(one, false), values(dp.replica(1), false), 0f);
            // triplets that span the two shards (rows 0-2 and 3-5)
            int[][] triplets = {{0, 3, 1}, {1, 4, 5}, {2, 5, 0}, {3, 0, 4}, {4, 1, 2}, {5, 2, 3}};
            Random r = new Random(4);
            for (int it = 1; it <= 2; it++) {
                float[] x = new float[6 * SIDE * SIDE];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                float la;
                float lb;
                try (NDManager m = a.trainer().getManager().newSubManager()) {
                    NDArray xa = m.create(x, new Shape(6, 1, SIDE, SIDE));
                    try (GradientCollector gc = a.trainer().newGradientCollector()) {
                        NDArray emb = one.forward(new ParameterStore(m, false), new NDList(xa), false).singletonOrThrow();
                        NDArray loss = TripletLoss.compute(emb, triplets, 2.1f).loss();
                        la = loss.getFloat();
                        gc.backward(loss);
                    }
                }
                try (NDManager m = b.trainer().getManager().newSubManager()) {
                    NDArray xb = m.create(x, new Shape(6, 1, SIDE, SIDE));
                    try (GradientCollector gc = b.trainer().newGradientCollector()) {
                        NDArray emb = dp.gather(dp.forward(xb, false));
                        assertThat(emb.getShape()).isEqualTo(new Shape(6, 16));
                        NDArray loss = TripletLoss.compute(emb, triplets, 2.1f).loss();
                        lb = loss.getFloat();
                        gc.backward(loss);
                    }
                }
                assertThat(lb).isCloseTo(la, within(1e-5f));
                dp.reduceGradients();
                assertClose(values(one, true), values(two, true), 1e-5f);
                a.sgd().step(one, it);
                b.sgd().step(two, it);
                dp.broadcast();
                assertClose(values(one, false), values(two, false), 1e-5f);
                assertClose(values(two, false), values(dp.replica(1), false), 0f);
            }
        }
    }

    @Test
    void shardsAreNearEqualAndInBatchOrder() {
        MmtuneNet net = MmtuneNet.embedding(SPEC);
        try (StageTrainer st = new StageTrainer("s", net, Device.cpu(), IN, new LrSchedule(0.01f, 0, 1f), 0.9f, 0f, 0)) {
            st.enableDataParallel(List.of(Device.cpu(), Device.cpu(), Device.cpu()), () -> MmtuneNet.embedding(SPEC), IN);
            DataParallel dp = st.dataParallel();
            assertThat(dp.shardSizes(7)).containsExactly(3, 2, 2);
            assertThat(dp.shardSizes(2)).containsExactly(1, 1, 0);
            try (NDManager m = st.trainer().getManager().newSubManager()) {
                NDArray rows = m.arange(0f, 14f).reshape(7, 2);
                assertThat(dp.gather(dp.split(rows)).toFloatArray()).isEqualTo(rows.toFloatArray());
                assertThat(dp.split(m.arange(0f, 4f).reshape(2, 2))).hasSize(2);
            }
        }
    }

    @Test
    void twoReplicaMixMatchAndFinetuneLowerTheirLoss(@TempDir Path tmp) throws Exception {
        List<Sample> imgs = TinyData.scenes(4, 96, 96, 11);
        PatchBatchSource fresh = TinyData.patches(imgs, 12, SIDE, 5);
        PatchBatchSource same = TinyData.repeatingFirst(fresh);
        TinyData.Recorder rec = new TinyData.Recorder();
        List<Double> mm = rec.losses(Stage.MM);
        List<Double> ft = rec.losses(Stage.FINETUNE);
        StageContext ctx = new StageContext(SPEC, Device.cpu(), tmp, new CancellationToken(), List.of(rec), 3)
                .onDevices(TWO_CPUS);
        TrainingLoop.Result r = MixMatchStage.run(ctx, new MixMatchStage.Settings(12, new LrSchedule(0.01f, 0, 1f),
                0.9f, 5e-4f, 2.1f, 0, 0, SIDE), same, null, false);
        assertThat(r.outcome()).as(r.message()).isEqualTo(StageOutcome.FINISHED);
        assertThat(TinyData.mean(mm, 8, 12)).as("M&M loss %s", mm).isLessThan(TinyData.mean(mm, 0, 4));
        TrainingLoop.Result f = FinetuneStage.run(ctx, new FinetuneStage.Settings(14, 4, 96,
                new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, true, 0, 0), imgs, List.of(), TinyData.CLASSES,
                TinyData.VOID, tmp.resolve("mm.params"), false);
        assertThat(f.outcome()).as(f.message()).isEqualTo(StageOutcome.FINISHED);
        assertThat(ft).hasSize(14).allSatisfy(l -> assertThat(l).isFinite());
        assertThat(TinyData.mean(ft, 10, 14)).as("fine-tune loss %s", ft).isLessThan(TinyData.mean(ft, 0, 4));
    }

    @Test
    void devicesAreChosenFromTheOptions() {
        assertThat(Devices.resolve("auto", null, 1, 0)).containsExactly(Device.cpu());
        assertThat(Devices.resolve("cpu", null, 3, 2)).containsExactly(Device.cpu(), Device.cpu(), Device.cpu());
        assertThat(Devices.resolve("gpu", null, 1, 3)).containsExactly(Device.gpu(0), Device.gpu(1), Device.gpu(2));
        assertThat(Devices.resolve("auto", null, 1, 2)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(Devices.resolve("gpu", "2", 1, 4)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(Devices.resolve("gpu", "3, 1", 1, 4)).containsExactly(Device.gpu(3), Device.gpu(1));
        assertThatThrownBy(() -> Devices.resolve("gpu", "5", 1, 4)).hasMessageContaining("1 to 4 GPUs");
        assertThatThrownBy(() -> Devices.resolve("gpu", "0,4", 1, 4)).hasMessageContaining("GPU id 4 does not exist");
        assertThatThrownBy(() -> Devices.resolve("gpu", "1,1", 1, 4)).hasMessageContaining("given twice");
        assertThatThrownBy(() -> Devices.resolve("gpu", "x", 1, 4)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Devices.resolve("auto", "2", 1, 0)).hasMessageContaining("no GPU");
        assertThatThrownBy(() -> Devices.resolve("gpu", null, 1, 0)).hasMessageContaining("no GPU");
    }

}
