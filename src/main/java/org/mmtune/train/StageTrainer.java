package org.mmtune.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.mmtune.nn.MaskedCrossEntropy;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.SeededInit;

/**
 * A DJL Model + Trainer around one {@link MmtuneNet}: the trainer gives forward passes and gradient
 * collectors; the update is {@link MomentumSgd} (momentum, weight decay, step-decayed learning rate),
 * applied by {@link #step(int)}. The loss is computed by the stage itself, so the config's loss is unused.
 */
public final class StageTrainer implements AutoCloseable {

    private final Model model;
    private final Trainer trainer;
    private final MmtuneNet net;
    private final MomentumSgd sgd;
    private DataParallel dp;

    /**
     * A trainer whose network keeps DJL's (unseeded) initial weights: for callers that load weights right
     * after (evaluation, resumed stages). Training stages use the seeded constructor.
     */
    public StageTrainer(String name, MmtuneNet net, Device device, Shape inputShape, LrSchedule lr,
                        float momentum, float weightDecay, int startIteration) {
        this(name, net, device, inputShape, lr, momentum, weightDecay, startIteration, null);
    }

    /**
     * A trainer whose network starts from weights determined by {@code initSeed} alone ({@link SeededInit}:
     * each parameter from a PRNG keyed by the seed and its name, so a backbone starts the same under every
     * head); libtorch's global RNG is seeded from it too. Weights loaded afterwards (a backbone checkpoint,
     * a resumed stage) replace the seeded values of the layers they cover.
     */
    public StageTrainer(String name, MmtuneNet net, Device device, Shape inputShape, LrSchedule lr,
                        float momentum, float weightDecay, int startIteration, long initSeed) {
        this(name, net, device, inputShape, lr, momentum, weightDecay, startIteration, Long.valueOf(initSeed));
    }

    private StageTrainer(String name, MmtuneNet net, Device device, Shape inputShape, LrSchedule lr,
                         float momentum, float weightDecay, int startIteration, Long initSeed) {
        this.net = net;
        this.model = Model.newInstance(name, device);
        model.setBlock(net);
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build())
                .optDevices(new Device[] {device});
        this.trainer = model.newTrainer(cfg);
        if (initSeed != null) {
            Engine.getInstance().setRandomSeed(engineSeed(initSeed));
        }
        trainer.initialize(inputShape);
        if (initSeed != null) {
            SeededInit.apply(net, initSeed);
        }
        this.sgd = new MomentumSgd(lr, momentum, weightDecay);
    }

    /** The int seed given to libtorch's global RNG for experiment seed {@code seed}. */
    static int engineSeed(long seed) {
        return (int) (seed ^ (seed >>> 32)) & 0x7fffffff;
    }

    public Trainer trainer() { return trainer; }

    public MmtuneNet net() { return net; }

    public Model model() { return model; }

    /** The optimizer, whose momentum buffers go into checkpoints. */
    public MomentumSgd sgd() { return sgd; }

    /**
     * Trains data-parallel over {@code devices} (the first is this trainer's device) when there are several;
     * call after the starting weights are loaded. {@code factory} builds a network like this one.
     */
    public void enableDataParallel(List<Device> devices, Supplier<MmtuneNet> factory, Shape inputShape) {
        if (devices.size() > 1 && dp == null) {
            dp = new DataParallel(net, factory, devices, inputShape);
        }
    }

    /** The data-parallel replicas, or null on one device. */
    public DataParallel dataParallel() { return dp; }

    /** The network's output for a whole batch: one forward pass, or the shards' outputs gathered on the first device. */
    public NDArray forwardGathered(NDArray x) {
        if (dp == null) {
            return trainer.forward(new NDList(x)).singletonOrThrow();
        }
        return dp.gather(dp.forward(x, true));
    }

    /**
     * The masked pixel cross-entropy of a batch: on one device over the whole batch; data-parallel the mean
     * of the shards' losses, each computed on its device.
     */
    public NDArray pixelLoss(NDArray x, NDArray targets, int ignoreIndex) {
        return pixelLoss(x, targets, ignoreIndex, null);
    }

    /** As above with a weight per target pixel ({@code (N, H, W)}, or null for none). */
    public NDArray pixelLoss(NDArray x, NDArray targets, int ignoreIndex, NDArray pixelWeights) {
        if (dp == null) {
            return MaskedCrossEntropy.compute(trainer.forward(new NDList(x)).singletonOrThrow(), targets, ignoreIndex,
                    pixelWeights);
        }
        List<NDArray> outs = dp.forward(x, true);
        List<NDArray> ts = dp.split(targets);
        List<NDArray> ws = pixelWeights == null ? null : dp.split(pixelWeights);
        List<NDArray> losses = new ArrayList<>(outs.size());
        for (int k = 0; k < outs.size(); k++) {
            losses.add(MaskedCrossEntropy.compute(outs.get(k), ts.get(k), ignoreIndex, ws == null ? null : ws.get(k)));
        }
        return dp.meanLoss(losses);
    }

    /**
     * Applies the SGD update of {@code iteration} (1-based) from the gradients of the last backward pass;
     * data-parallel: the replicas' gradients are first added to this network's, and after the update its
     * parameters are copied back to the replicas.
     */
    public void step(int iteration) {
        if (dp != null) {
            dp.reduceGradients();
        }
        sgd.step(net, iteration);
        if (dp != null) {
            dp.broadcast();
        }
    }

    /** No update this iteration (e.g. a zero loss): keeps the replicas in step with this network. */
    public void skipStep() {
        if (dp != null) {
            dp.skipStep();
        }
    }

    @Override
    public void close() {
        if (dp != null) {
            dp.close();
        }
        trainer.close();
        model.close();
    }
}
