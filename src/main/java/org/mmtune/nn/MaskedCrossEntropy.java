package org.mmtune.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Pixel-wise softmax cross-entropy over {@code (N, C, H, W)} logits with {@code (N, H, W)} integer targets,
 * averaged over the pixels whose target is not the ignore index (DJL's SoftmaxCrossEntropyLoss has no
 * ignore index). Used for segmentation (ignoring void) and colorization (ignore unused).
 */
public final class MaskedCrossEntropy {

    private MaskedCrossEntropy() {
    }

    /**
     * @param logits      {@code (N, C, H, W)}
     * @param targets     {@code (N, H, W)} any integer type; values in {@code [0, C)} or {@code ignoreIndex}
     * @param ignoreIndex target value to skip, or -1 for none
     * @return scalar mean loss over the counted pixels (0 when none counts)
     */
    public static NDArray compute(NDArray logits, NDArray targets, int ignoreIndex) {
        NDArray t = targets.toType(DataType.INT64, false);
        NDArray mask = ignoreIndex >= 0 ? t.neq(ignoreIndex) : t.gte(0);
        NDArray safe = ignoreIndex >= 0 ? t.mul(mask.toType(DataType.INT64, false)) : t;
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = logp.gather(safe.expandDims(1), 1).squeeze(1);
        NDArray maskF = mask.toType(DataType.FLOAT32, false);
        NDArray count = maskF.sum().maximum(1f);
        return picked.mul(maskF).sum().neg().div(count);
    }

    /**
     * As {@link #compute(NDArray, NDArray, int)} with a weight per pixel (e.g. a class-rebalancing weight of
     * its target): {@code −Σ w·log p(target) / (counted pixels)}; {@code pixelWeights} null = all 1.
     *
     * @param pixelWeights {@code (N, H, W)} float weights, or null
     */
    public static NDArray compute(NDArray logits, NDArray targets, int ignoreIndex, NDArray pixelWeights) {
        if (pixelWeights == null) {
            return compute(logits, targets, ignoreIndex);
        }
        NDArray t = targets.toType(DataType.INT64, false);
        NDArray mask = ignoreIndex >= 0 ? t.neq(ignoreIndex) : t.gte(0);
        NDArray safe = ignoreIndex >= 0 ? t.mul(mask.toType(DataType.INT64, false)) : t;
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = logp.gather(safe.expandDims(1), 1).squeeze(1);
        NDArray maskF = mask.toType(DataType.FLOAT32, false);
        NDArray count = maskF.sum().maximum(1f);
        return picked.mul(maskF.mul(pixelWeights)).sum().neg().div(count);
    }
}
