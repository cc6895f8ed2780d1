package org.mmtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.Sample;
import org.mmtune.eval.ConfusionMatrix;
import org.mmtune.eval.Segmenter;
import org.mmtune.nn.MmtuneNet;

/**
 * Fine-tuning: the FCN head on the (possibly tuned) backbone, trained on random crops (with random
 * horizontal flips) of the labelled training images with a pixel cross-entropy that ignores void. Every
 * {@code evalEvery} iterations (and at the end) the mIoU on the validation images is measured and
 * reported as {@code valMIoU}.
 */
public final class FinetuneStage {

    public record Settings(int iterations, int batchSize, int cropSize, LrSchedule lr, float momentum,
                           float weightDecay, boolean flip, int checkpointEvery, int evalEvery) {
    }

    private FinetuneStage() {
    }

    public static TrainingLoop.Result run(StageContext ctx, Settings s, List<Sample> train, List<Sample> val,
                                          List<ClassInfo> classes, int ignoreIndex, Path initBackbone,
                                          boolean resume) throws IOException {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("finetune: no training images");
        }
        List<TrainImage> imgs = new ArrayList<>();
        for (Sample sm : train) {
            imgs.add(TrainImage.of(sm));
        }
        List<TrainImage> valImgs = new ArrayList<>();
        for (Sample sm : val) {
            valImgs.add(TrainImage.of(sm));
        }
        int crop = Math.max(ctx.spec().minInputSize() + 1, s.cropSize());
        int numClasses = classes.size();
        MmtuneNet net = MmtuneNet.segmentation(ctx.spec(), numClasses);
        try (StageTrainer st = new StageTrainer("finetune", net, ctx.device(), new Shape(1, 1, crop, crop),
                s.lr(), s.momentum(), s.weightDecay(), 0, ctx.seed())) {
            int start = StageStart.prepare(ctx, Stage.FINETUNE, net, st.sgd(), initBackbone, resume);
            String what = "finetune: " + imgs.size() + " labelled training images";
            ctx.listeners().forEach(l -> l.onMessage(what));
            st.enableDataParallel(ctx.devices(), () -> MmtuneNet.segmentation(ctx.spec(), numClasses), new Shape(1, 1, crop, crop));
            Trainer trainer = st.trainer();
            Segmenter seg = new Segmenter(net, trainer.getManager());
            Random rnd = new Random(ctx.seed() * 1_000_033L + start);
            int b = s.batchSize();
            TrainingLoop.Step step = (mgr, it) -> {
                float[] x = new float[b * crop * crop];
                int[] t = new int[b * crop * crop];
                for (int i = 0; i < b; i++) {
                    TrainImage img = imgs.get(rnd.nextInt(imgs.size()));
                    int x0 = Crops.origin(img.width(), crop, 1, rnd);
                    int y0 = Crops.origin(img.height(), crop, 1, rnd);
                    boolean flip = s.flip() && rnd.nextBoolean();
                    Crops.copy(img, x0, y0, crop, flip, x, i * crop * crop, t, i * crop * crop, ignoreIndex);
                }
                NDArray xa = mgr.create(x, new Shape(b, 1, crop, crop));
                NDArray ta = mgr.create(t, new Shape(b, crop, crop));
                float lv;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray loss = st.pixelLoss(xa, ta, ignoreIndex);
                    lv = loss.getFloat();
                    TrainingLoop.checkFinite(lv);
                    gc.backward(loss);
                }
                st.step(it);
                Map<String, Double> extras = new HashMap<>();
                extras.put("epoch", (double) ((long) it * b / imgs.size()));
                if (!valImgs.isEmpty() && s.evalEvery() > 0 && (it % s.evalEvery() == 0 || it == s.iterations())) {
                    extras.put("valMIoU", miou(seg, valImgs, numClasses));
                }
                return new TrainingLoop.StepResult(lv, extras);
            };
            return TrainingLoop.run(Stage.FINETUNE, start, s.iterations(), trainer.getManager(), step, s.lr(),
                    s.checkpointEvery(),
                    (done, complete) -> Checkpoints.save(ctx.checkpointDir(), Stage.FINETUNE, net, st.sgd(), done,
                            s.iterations(), complete),
                    ctx.cancel(), ctx.listeners());
        }
    }

    static double miou(Segmenter seg, List<TrainImage> val, int numClasses) {
        ConfusionMatrix cm = new ConfusionMatrix(numClasses);
        for (TrainImage v : val) {
            cm.add(v.labels(), seg.predict(v.gray(), v.width(), v.height()));
        }
        return cm.meanIoU();
    }
}
