package org.mmtune.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Checks that the engine's convolution gradients are finite before training. On this project's 2-core
 * AMD EPYC machines, libtorch 2.7.1's oneDNN AVX2/AVX-512 kernels return NaN weight gradients for about
 * half of the backward passes through conv → ReLU → conv, and their forward passes are wrong too (a
 * checkpoint evaluated to 20.2% mIoU instead of 30.4%); limiting oneDNN to
 * AVX ({@code ONEDNN_MAX_CPU_ISA=AVX}, read by libtorch at start) gives finite gradients. The check runs
 * that graph a few times (about 50 ms) so a run stops with a clear message instead of training on NaN.
 */
public final class KernelCheck {

    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";
    private static volatile Boolean ok;

    private KernelCheck() {
    }

    /** Throws {@link IllegalStateException} with advice when convolution gradients come out NaN. */
    public static void requireFiniteGradients() {
        if (ok == null) {
            ok = probe(12);
        }
        if (!ok) {
            throw new IllegalStateException("the engine's CPU convolution kernels give NaN gradients on this machine; "
                    + "start mmtune with the environment variable " + ISA_VARIABLE + "=AVX (the mmtune CLI does "
                    + "this itself; see README, 'Pipeline')");
        }
    }

    static boolean probe(int reps) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray b1 = m.randomNormal(0, 0.1f, new Shape(8, 1, 3, 3), DataType.FLOAT32);
            NDArray b2 = m.randomNormal(0, 0.1f, new Shape(3, 8, 3, 3), DataType.FLOAT32);
            NDArray x = m.randomNormal(new Shape(4, 1, 32, 32));
            for (int i = 0; i < reps; i++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray w1 = b1.duplicate();
                    NDArray w2 = b2.duplicate();
                    s.attachAll(w1, w2);
                    w1.setRequiresGradient(true);
                    w2.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = Conv2d.conv2d(x, w1).singletonOrThrow().getNDArrayInternal().relu();
                        NDArray z = Conv2d.conv2d(y, w2).singletonOrThrow();
                        gc.backward(z.square().mean());
                    }
                    if (w1.getGradient().isNaN().any().getBoolean()) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
