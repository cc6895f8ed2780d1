package org.mmtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

/**
 * SGD with momentum and weight decay: {@code v = μ·v + lr·(grad + wd·w); w −= v} (PyTorch's update with the
 * learning rate folded into the velocity, identical while the rate is constant),
 * applied directly to a block's parameters with DJL NDArray operations (in place; temporaries closed at
 * once, so no native memory accumulates).
 *
 * <p>Why not DJL's {@code Trainer.step()} with its {@code Sgd}: with DJL 0.36 and the bundled libtorch
 * 2.7.1 on this machine, weights turned NaN within a few updates through that path, even for a
 * two-convolution net with plain SGD, while the same update applied here stays finite.
 */
public final class MomentumSgd {

    private final LrSchedule schedule;
    private final float momentum;
    private final float weightDecay;
    private final Map<String, NDArray> velocity = new HashMap<>();

    public MomentumSgd(LrSchedule schedule, float momentum, float weightDecay) {
        this.schedule = schedule;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /**
     * Resets a parameter's gradient to zero. Needed: DJL 0.36's gradient collector does not reach the
     * model's parameters here, so without this the gradients of successive iterations add up (measured:
     * the gradient norm grew 5.1, 10.2, 15.3, 20.4 over four identical batches).
     */
    private static void zero(NDArray w, NDArray grad) {
        if (w instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            grad.subi(grad);
        }
    }

    /** Applies one update for {@code iteration} (1-based; the learning rate is {@code schedule.at(iteration-1)}). */
    public void step(Block block, int iteration) {
        float rate = schedule.at(iteration - 1);
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue;
            }
            NDArray w = param.getArray();
            NDArray grad = w.getGradient();
            NDArray d = grad.mul(rate);
            if (weightDecay > 0) {
                NDArray t = w.mul(rate * weightDecay);
                d.addi(t);
                t.close();
            }
            if (momentum > 0) {
                NDArray v = velocity.computeIfAbsent(p.getKey(), k -> w.zerosLike());
                v.muli(momentum).addi(d);
                w.subi(v);
            } else {
                w.subi(d);
            }
            d.close();
            zero(w, grad);
        }
    }
}
