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
 *
 * <p>What is behind it (measured with NaN-filled temporaries freed before each convolution): with AVX, every
 * input channel count above 8 that is not a multiple of 8 gives NaN outputs and gradients, multiples of 8
 * never do: the kernels read the unused channels of their last 8-channel block from memory they never
 * zero. Every mmtune layer is therefore a multiple of 8 ({@code NetSpec.width}). With AVX2 and AVX-512 even
 * 24 channels fail. The probe frees NaN-filled temporaries before each pass (so the failure does not depend
 * on what the allocator happens to hold) and uses 24 channels; it passes with AVX and SSE4.1, and fails with
 * AVX2, AVX-512 and the default.
 */
public final class KernelCheck {

    public static final String ISA_VARIABLE = OneDnnIsa.VARIABLE;
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
                    + "start mmtune with the environment variable " + ISA_VARIABLE + "=AVX (oneDNN ISA in use: "
                    + OneDnnIsa.current().map(OneDnnIsa.Choice::describe).orElse("not set by mmtune") + ")");
        }
    }

    static boolean probe(int reps) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray b1 = m.randomNormal(0, 0.1f, new Shape(24, 1, 3, 3), DataType.FLOAT32);
            NDArray b2 = m.randomNormal(0, 0.1f, new Shape(3, 24, 3, 3), DataType.FLOAT32);
            NDArray x = m.randomNormal(new Shape(4, 1, 32, 32));
            for (int i = 0; i < reps; i++) {
                poisonFreedMemory(m);
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
                    if (w1.getGradient().isNaN().any().getBoolean() || w2.getGradient().isNaN().any().getBoolean()) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Allocates and frees NaN-filled arrays of assorted sizes, so that uninitialised reads find NaN. */
    static void poisonFreedMemory(NDManager parent) {
        try (NDManager p = parent.newSubManager()) {
            for (int k = 0; k < 26; k++) {
                p.full(new Shape((1L << (8 + k % 13)) + 16 * k), Float.NaN);
            }
        }
    }
}
