package org.mmtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mmtune.data.Sample;
import org.mmtune.nn.MmtuneNet;

/**
 * Proxy stage: colorization on the training images without their labels. Input: the gray crop;
 * target: the quantised ab bins at a quarter of the resolution ({@link ColorTargets}); loss:
 * cross-entropy over the bins, optionally class-rebalanced (Zhang et al. 2016) with weights computed once
 * from all training images' targets.
 */
public final class ColorizationStage {

    /**
     * Stage settings; {@code cropSize} is rounded down to a multiple of 4; {@code classRebalance} weights each
     * target pixel by Zhang et al.'s rebalancing weight of its bin ({@link ColorTargets#rebalanceWeights}).
     */
    public record Settings(int iterations, int batchSize, int cropSize, LrSchedule lr, float momentum,
                           float weightDecay, int abGrid, int checkpointEvery, boolean classRebalance) {

        public Settings(int iterations, int batchSize, int cropSize, LrSchedule lr, float momentum,
                        float weightDecay, int abGrid, int checkpointEvery) {
            this(iterations, batchSize, cropSize, lr, momentum, weightDecay, abGrid, checkpointEvery, false);
        }
    }

    private ColorizationStage() {
    }

    public static TrainingLoop.Result run(StageContext ctx, Settings s, List<Sample> images, Path initBackbone,
                                          boolean resume) throws IOException {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("proxy: no training images");
        }
        int grid = s.abGrid();
        int bins = ColorTargets.bins(grid);
        int crop = Math.max(ctx.spec().minInputSize() + 1, s.cropSize() / 4 * 4);
        crop = (crop + 3) / 4 * 4;
        int q = crop / 4;
        List<TrainImage> imgs = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (Sample sm : images) {
            imgs.add(new TrainImage(sm.id(), sm.width(), sm.height(), sm.gray(), null));
            targets.add(ColorTargets.quarterBins(sm, grid));
        }
        float[] binWeights = s.classRebalance() ? ColorTargets.rebalanceWeights(targets, grid,
                ColorTargets.REBALANCE_LAMBDA, ColorTargets.REBALANCE_SIGMA) : null;
        if (binWeights != null) {
            float max = 0;
            for (float v : binWeights) {
                max = Math.max(max, v);
            }
            String msg = String.format(java.util.Locale.ROOT,
                    "proxy: class rebalancing (λ %.1f, σ %.0f), largest bin weight %.2f", ColorTargets.REBALANCE_LAMBDA,
                    ColorTargets.REBALANCE_SIGMA, max);
            ctx.listeners().forEach(l -> l.onMessage(msg));
        }
        MmtuneNet net = MmtuneNet.colorization(ctx.spec(), bins);
        final int cropF = crop;
        try (StageTrainer st = new StageTrainer("proxy", net, ctx.device(), new Shape(1, 1, crop, crop), s.lr(),
                s.momentum(), s.weightDecay(), 0, ctx.seed())) {
            int start = StageStart.prepare(ctx, Stage.PROXY, net, st.sgd(), initBackbone, resume);
            String what = "proxy: colorization on " + imgs.size() + " training images (labels unused)";
            ctx.listeners().forEach(l -> l.onMessage(what));
            st.enableDataParallel(ctx.devices(), () -> MmtuneNet.colorization(ctx.spec(), bins), new Shape(1, 1, cropF, cropF));
            Trainer trainer = st.trainer();
            Random rnd = new Random(ctx.seed() * 1_000_003L + start);
            int b = s.batchSize();
            TrainingLoop.Step step = (mgr, it) -> {
                float[] x = new float[b * cropF * cropF];
                int[] t = new int[b * q * q];
                for (int i = 0; i < b; i++) {
                    int k = rnd.nextInt(imgs.size());
                    TrainImage img = imgs.get(k);
                    int[] bin = targets.get(k);
                    int x0 = Crops.origin(img.width(), cropF, 4, rnd);
                    int y0 = Crops.origin(img.height(), cropF, 4, rnd);
                    boolean flip = rnd.nextBoolean();
                    Crops.copy(img, x0, y0, cropF, flip, x, i * cropF * cropF, null, 0, 0);
                    int qw = Math.max(1, img.width() / 4);
                    int qh = Math.max(1, img.height() / 4);
                    for (int r = 0; r < q; r++) {
                        int sy = y0 / 4 + r;
                        for (int c = 0; c < q; c++) {
                            int sx = x0 / 4 + (flip ? q - 1 - c : c);
                            t[i * q * q + r * q + c] = sy >= 0 && sy < qh && sx >= 0 && sx < qw
                                    ? bin[sy * qw + sx] : bins;
                        }
                    }
                }
                NDArray xa = mgr.create(x, new Shape(b, 1, cropF, cropF));
                NDArray ta = mgr.create(t, new Shape(b, q, q));
                NDArray wa = null;
                if (binWeights != null) {
                    float[] w = new float[t.length];
                    for (int i = 0; i < t.length; i++) {
                        w[i] = t[i] < bins ? binWeights[t[i]] : 0f;
                    }
                    wa = mgr.create(w, new Shape(b, q, q));
                }
                float lv;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray loss = st.pixelLoss(xa, ta, bins, wa);
                    lv = loss.getFloat();
                    TrainingLoop.checkFinite(lv);
                    gc.backward(loss);
                }
                st.step(it);
                return TrainingLoop.StepResult.of(lv);
            };
            return TrainingLoop.run(Stage.PROXY, start, s.iterations(), trainer.getManager(), step, s.lr(),
                    s.checkpointEvery(),
                    (done, complete) -> Checkpoints.save(ctx.checkpointDir(), Stage.PROXY, net, st.sgd(), done,
                            s.iterations(), complete),
                    ctx.cancel(), ctx.listeners());
        }
    }
}
