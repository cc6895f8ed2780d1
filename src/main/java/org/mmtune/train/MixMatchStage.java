package org.mmtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.TripletLoss;

/**
 * M&M tuning: each iteration takes a fresh mixed batch with its class-wise connected graph, runs ONE
 * forward pass of all its patches through backbone + pool5 embedding, gathers the triplets' rows and
 * takes an SGD step on the triplet loss. Reports {@code violatedFraction} (share of triplets with a
 * positive hinge; always 1 with the paper's margin 2.1 on L2-normalised non-negative embeddings),
 * {@code orderedFraction} (share with {@code ‖a−p‖² < ‖a−n‖²}), {@code meanCosGap} (mean
 * {@code cos(a,p) − cos(a,n)}) and {@code dataPrepMs}; every {@code embeddingsEvery} iterations a 2-D PCA of the
 * batch's embeddings goes to the listeners.
 */
public final class MixMatchStage {

    /** Stage settings; {@code freezeBatchNorm}: see {@link MmtuneNet#freezeBatchNorm}. */
    public record Settings(int iterations, LrSchedule lr, float momentum, float weightDecay, float margin,
                           int embeddingsEvery, int checkpointEvery, int patchSize, boolean freezeBatchNorm) {

        public Settings(int iterations, LrSchedule lr, float momentum, float weightDecay, float margin,
                        int embeddingsEvery, int checkpointEvery, int patchSize) {
            this(iterations, lr, momentum, weightDecay, margin, embeddingsEvery, checkpointEvery, patchSize, false);
        }
    }

    private MixMatchStage() {
    }

    private static float[][] rows(NDArray emb, int n) {
        int d = (int) emb.getShape().get(1);
        float[] flat = emb.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    public static TrainingLoop.Result run(StageContext ctx, Settings s, PatchBatchSource source, Path initBackbone,
                                          boolean resume) throws IOException {
        MmtuneNet net = MmtuneNet.embedding(ctx.spec()).freezeBatchNorm(s.freezeBatchNorm());
        int ps = s.patchSize();
        try (StageTrainer st = new StageTrainer("mm", net, ctx.device(), new Shape(2, 1, ps, ps), s.lr(),
                s.momentum(), s.weightDecay(), 0, ctx.seed())) {
            int start = StageStart.prepare(ctx, Stage.MM, net, st.sgd(), initBackbone, resume);
            st.enableDataParallel(ctx.devices(),
                    () -> MmtuneNet.embedding(ctx.spec()).freezeBatchNorm(s.freezeBatchNorm()), new Shape(2, 1, ps, ps));
            Trainer trainer = st.trainer();
            TrainingLoop.Step step = (mgr, it) -> {
                PatchBatch pb = source.next(it);
                if (pb.size() != ps) {
                    throw new IllegalStateException("patch size " + pb.size() + ", expected " + ps);
                }
                float[] x = new float[pb.gray().length];
                InputNorm.normalize(pb.gray(), x, 0);
                NDArray xa = mgr.create(x, new Shape(pb.count(), 1, ps, ps));
                float lv;
                float violated;
                float ordered;
                float cosGap;
                float[][] snapshot = null;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray emb = st.forwardGathered(xa);
                    int[][] triplets = pb.triplets();
                    float[][] rows = null;
                    boolean snap = s.embeddingsEvery() > 0 && (it % s.embeddingsEvery() == 0 || it == 1);
                    if (triplets == null || snap) {
                        rows = rows(emb, pb.count());
                    }
                    if (triplets == null) {
                        triplets = pb.tripletsFromEmbeddings().apply(rows);
                    }
                    TripletLoss.Result r = TripletLoss.compute(emb, triplets, s.margin());
                    lv = r.loss().getFloat();
                    TrainingLoop.checkFinite(lv);
                    violated = r.violatedFraction();
                    ordered = r.orderedFraction();
                    cosGap = r.meanCosGap();
                    if (snap) {
                        snapshot = rows;
                    }
                    if (lv > 0f) {
                        gc.backward(r.loss());
                    }
                }
                if (lv > 0f) {
                    st.step(it);
                } else {
                    st.skipStep();
                }
                if (snapshot != null) {
                    EmbeddingSnapshot snap = new EmbeddingSnapshot(it, pb.labels(), org.mmtune.util.Pca2d.project(snapshot),
                            pb.patches());
                    ctx.listeners().forEach(l -> l.onEmbeddings(snap));
                }
                Map<String, Double> extras = new HashMap<>();
                extras.put("violatedFraction", (double) violated);
                extras.put("orderedFraction", (double) ordered);
                extras.put("meanCosGap", (double) cosGap);
                extras.put("dataPrepMs", pb.prepMs());
                return new TrainingLoop.StepResult(lv, extras);
            };
            return TrainingLoop.run(Stage.MM, start, s.iterations(), trainer.getManager(), step, s.lr(),
                    s.checkpointEvery(),
                    (done, complete) -> Checkpoints.save(ctx.checkpointDir(), Stage.MM, net, st.sgd(), done,
                            s.iterations(), complete),
                    ctx.cancel(), ctx.listeners());
        }
    }
}
