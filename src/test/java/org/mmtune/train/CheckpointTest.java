package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
                .hasMessageContaining("checkpoint predicts 3 classes");
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

    private static final Shape MOM_INPUT = new Shape(2, 1, 96, 96);

    /** One SGD iteration on a batch that depends only on {@code it} (same data in every run). */
    private static void trainStep(StageTrainer st, int it) {
        Random r = new Random(1000L + it);
        float[] x = new float[(int) MOM_INPUT.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (NDManager m = st.trainer().getManager().newSubManager()) {
            NDArray xa = m.create(x, MOM_INPUT);
            try (GradientCollector gc = st.trainer().newGradientCollector()) {
                NDArray emb = st.trainer().forward(new NDList(xa)).singletonOrThrow();
                float[] t = new float[(int) emb.getShape().size()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) r.nextGaussian();
                }
                NDArray target = m.create(t, emb.getShape());
                gc.backward(emb.sub(target).square().sum());
            }
            st.step(it);
        }
    }

    private static StageTrainer momTrainer(MmtuneNet net) {
        return new StageTrainer("m", net, Device.cpu(), MOM_INPUT, new LrSchedule(0.01f, 0, 1f), 0.9f, 5e-4f, 0);
    }

    private static List<float[]> params(MmtuneNet net) {
        List<float[]> out = new ArrayList<>();
        net.getParameters().forEach(p -> out.add(p.getValue().getArray().toFloatArray()));
        return out;
    }

    /** Saves a fresh network's start to {@code init}, trains it 4 steps without a break and returns its parameters. */
    private static List<float[]> uninterruptedRun(Path init) throws Exception {
        try (StageTrainer a = momTrainer(MmtuneNet.embedding(SPEC))) {
            Checkpoints.save(init, Stage.MM, a.net(), 0, 4, false);
            for (int it = 1; it <= 4; it++) {
                trainStep(a, it);
            }
            return params(a.net());
        }
    }

    @Test
    void resumingWithSavedMomentumMatchesAnUninterruptedRunExactly(@TempDir Path tmp) throws Exception {
        Path init = tmp.resolve("init");
        Path ck = tmp.resolve("ck");
        List<float[]> uninterrupted = uninterruptedRun(init);
        Map<String, float[]> savedMomentum;
        try (StageTrainer b = momTrainer(MmtuneNet.embedding(SPEC))) {
            Checkpoints.loadFull(Checkpoints.paramsFile(init, Stage.MM), b.net());
            for (int it = 1; it <= 2; it++) {
                trainStep(b, it);
            }
            savedMomentum = b.sgd().stateSnapshot();
            Checkpoints.save(ck, Stage.MM, b.net(), b.sgd(), 2, 4, false);
        }
        assertThat(savedMomentum).isNotEmpty();
        assertThat(Files.exists(Checkpoints.momentumFile(ck, Stage.MM))).isTrue();
        try (StageTrainer c = momTrainer(MmtuneNet.embedding(SPEC))) {
            Checkpoints.loadFull(Checkpoints.paramsFile(ck, Stage.MM), c.net());
            assertThat(Checkpoints.loadMomentum(ck, Stage.MM, 2, c.sgd(), c.net())).isTrue();
            Map<String, float[]> restored = c.sgd().stateSnapshot();
            assertThat(restored.keySet()).isEqualTo(savedMomentum.keySet());
            savedMomentum.forEach((k, v) -> assertThat(restored.get(k)).as(k).containsExactly(v));
            for (int it = 3; it <= 4; it++) {
                trainStep(c, it);
            }
            List<float[]> resumed = params(c.net());
            assertThat(resumed).hasSameSizeAs(uninterrupted);
            for (int i = 0; i < resumed.size(); i++) {
                assertThat(resumed.get(i)).as("parameter " + i).containsExactly(uninterrupted.get(i));
            }
            // a momentum file from another iteration is refused with a plain message
            assertThatThrownBy(() -> Checkpoints.loadMomentum(ck, Stage.MM, 3, c.sgd(), c.net()))
                    .hasMessageContaining("momentum is from iteration 2");
        }
        // without the momentum (an older checkpoint) the resumed run drifts: the test above is not vacuous
        try (StageTrainer d = momTrainer(MmtuneNet.embedding(SPEC))) {
            Checkpoints.loadFull(Checkpoints.paramsFile(ck, Stage.MM), d.net());
            assertThat(Checkpoints.loadMomentum(init, Stage.MM, 0, d.sgd(), d.net())).isFalse();
            for (int it = 3; it <= 4; it++) {
                trainStep(d, it);
            }
            List<float[]> fresh = params(d.net());
            boolean differs = false;
            for (int i = 0; i < fresh.size(); i++) {
                differs |= !java.util.Arrays.equals(fresh.get(i), uninterrupted.get(i));
            }
            assertThat(differs).isTrue();
        }
    }

    /** Stops a save after {@code at}, leaving the files exactly as a kill -9 there would (every step is atomic). */
    private static final class Killed extends RuntimeException {
        Killed(Checkpoints.SaveStep at) {
            super("killed after " + at);
        }
    }

    private static Checkpoints.SaveHook killAfter(Checkpoints.SaveStep at) {
        return step -> {
            if (step == at) {
                throw new Killed(at);
            }
        };
    }

    /** Resumes like a stage does ({@link StageStart#prepare}); returns the iteration and collects the run-log lines. */
    private static int resume(Path ck, StageTrainer t, List<String> log) throws Exception {
        StageContext ctx = new StageContext(SPEC, Device.cpu(), ck, new CancellationToken(),
                List.of(new TrainingListener() {
                    @Override
                    public void onMessage(String message) {
                        log.add(message);
                    }
                }), 0);
        return StageStart.prepare(ctx, Stage.MM, t.net(), t.sgd(), null, true);
    }

    private static void assertSameMomentum(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).containsExactly(v));
    }

    @Test
    void killedAfterTheNewMomentumButBeforeTheNewParamsResumesExactlyWithTheMomentumOfTheParams(@TempDir Path tmp)
            throws Exception {
        Path init = tmp.resolve("init");
        Path ck = tmp.resolve("ck");
        List<float[]> uninterrupted = uninterruptedRun(init);
        Map<String, float[]> momentumAt2;
        try (StageTrainer b = momTrainer(MmtuneNet.embedding(SPEC))) {
            Checkpoints.loadFull(Checkpoints.paramsFile(init, Stage.MM), b.net());
            trainStep(b, 1);
            trainStep(b, 2);
            momentumAt2 = b.sgd().stateSnapshot();
            Checkpoints.save(ck, Stage.MM, b.net(), b.sgd(), 2, 4, false);
            trainStep(b, 3);
            Checkpoints.SaveHook kill = killAfter(Checkpoints.SaveStep.MOMENTUM);
            assertThatThrownBy(() -> Checkpoints.save(ck, Stage.MM, b.net(), b.sgd(), 3, 4, false, kill))
                    .isInstanceOf(Killed.class);
        }
        // the kill state: momentum of iteration 3 next to the params of iteration 2
        assertThat(Checkpoints.momentumIteration(ck, Stage.MM)).hasValue(3);
        assertThat(Checkpoints.resumePoint(ck, Stage.MM)).hasValue(2);
        try (StageTrainer c = momTrainer(MmtuneNet.embedding(SPEC))) {
            List<String> log = new ArrayList<>();
            assertThat(resume(ck, c, log)).isEqualTo(2);
            assertSameMomentum(c.sgd().stateSnapshot(), momentumAt2);
            assertThat(log).anyMatch(l -> l.contains("momentum buffers of iteration 2 restored from mm.prev.momentum"))
                    .noneMatch(l -> l.contains("fresh momentum"));
            trainStep(c, 3);
            trainStep(c, 4);
            List<float[]> resumed = params(c.net());
            for (int i = 0; i < resumed.size(); i++) {
                assertThat(resumed.get(i)).as("parameter " + i).containsExactly(uninterrupted.get(i));
            }
        }
    }

    @Test
    void aKillAfterEveryStepOfASaveResumesWithTheMomentumOfTheParamsOnDisk(@TempDir Path tmp) throws Exception {
        Checkpoints.SaveStep[] steps = Checkpoints.SaveStep.values();
        Map<String, float[]> at2;
        Map<String, float[]> at3;
        try (StageTrainer b = momTrainer(MmtuneNet.embedding(SPEC))) {
            trainStep(b, 1);
            trainStep(b, 2);
            at2 = b.sgd().stateSnapshot();
            for (Checkpoints.SaveStep s : steps) {
                Checkpoints.save(tmp.resolve(s.name()), Stage.MM, b.net(), b.sgd(), 2, 4, false);
            }
            trainStep(b, 3);
            at3 = b.sgd().stateSnapshot();
            for (Checkpoints.SaveStep s : steps) {
                Checkpoints.SaveHook kill = killAfter(s);
                assertThatThrownBy(() -> Checkpoints.save(tmp.resolve(s.name()), Stage.MM, b.net(), b.sgd(), 3, 4,
                        false, kill)).isInstanceOf(Killed.class);
            }
        }
        assertThat(at3.keySet()).isEqualTo(at2.keySet());
        assertThat(at2.keySet()).anyMatch(k -> !java.util.Arrays.equals(at2.get(k), at3.get(k))); // not vacuous
        for (Checkpoints.SaveStep s : steps) {
            Path ck = tmp.resolve(s.name());
            int expected = s.compareTo(Checkpoints.SaveStep.PARAMS) < 0 ? 2 : 3;
            assertThat(Checkpoints.momentumFileFor(ck, Stage.MM, expected)).as("after " + s).isPresent();
            try (StageTrainer c = momTrainer(MmtuneNet.embedding(SPEC))) {
                List<String> log = new ArrayList<>();
                assertThat(resume(ck, c, log)).as("after " + s).isEqualTo(expected);
                assertSameMomentum(c.sgd().stateSnapshot(), expected == 2 ? at2 : at3);
                assertThat(log).as("after " + s).noneMatch(l -> l.contains("fresh momentum"));
                // the resumed run is killed again at its first save, even before its new momentum: a stale
                // momentum file of the killed run must not push out the one matching the params
                Checkpoints.SaveHook kill = killAfter(Checkpoints.SaveStep.KEEP_PREVIOUS_MOMENTUM);
                assertThatThrownBy(() -> Checkpoints.save(ck, Stage.MM, c.net(), c.sgd(), expected + 1, 4, false,
                        kill)).isInstanceOf(Killed.class);
                assertThat(Checkpoints.momentumFileFor(ck, Stage.MM, expected)).as("after " + s + " twice").isPresent();
                // a whole save tidies up: one momentum file, matching its params
                Checkpoints.save(ck, Stage.MM, c.net(), c.sgd(), expected + 1, 4, false);
                assertThat(Checkpoints.previousMomentumFile(ck, Stage.MM)).doesNotExist();
                assertThat(Checkpoints.momentumIteration(ck, Stage.MM)).hasValue(expected + 1);
            }
        }
    }
}
