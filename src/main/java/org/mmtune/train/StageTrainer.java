package org.mmtune.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.mmtune.nn.MmtuneNet;

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

    public StageTrainer(String name, MmtuneNet net, Device device, Shape inputShape, LrSchedule lr,
                        float momentum, float weightDecay, int startIteration) {
        this.net = net;
        this.model = Model.newInstance(name, device);
        model.setBlock(net);
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build())
                .optDevices(new Device[] {device});
        this.trainer = model.newTrainer(cfg);
        trainer.initialize(inputShape);
        this.sgd = new MomentumSgd(lr, momentum, weightDecay);
    }

    public Trainer trainer() { return trainer; }

    public MmtuneNet net() { return net; }

    public Model model() { return model; }

    /** The optimizer, whose momentum buffers go into checkpoints. */
    public MomentumSgd sgd() { return sgd; }

    /** Applies the SGD update of {@code iteration} (1-based) from the gradients of the last backward pass. */
    public void step(int iteration) {
        sgd.step(net, iteration);
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
