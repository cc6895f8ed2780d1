package org.mmtune.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The M&M triplet loss {@code (1/2N) Σ max(0, m + ‖a−p‖² − ‖a−n‖²)} on rows of one embedding matrix
 * (one forward pass of the whole mixed batch); the rows of each triplet are gathered by advanced
 * indexing, so gradients flow back to every patch.
 */
public final class TripletLoss {

    /** The paper's margin. */
    public static final float DEFAULT_MARGIN = 2.1f;

    private TripletLoss() {
    }

    /** Loss and the per-triplet hinge terms. */
    public record Result(NDArray loss, NDArray hinge) {
        /** Fraction of triplets whose hinge is positive (violating the margin). */
        public float violatedFraction() {
            long n = hinge.getShape().get(0);
            return n == 0 ? 0f : hinge.gt(0f).sum().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat() / n;
        }
    }

    /**
     * @param embeddings {@code (B, D)} embedding rows
     * @param triplets   {@code [n][3]} indices (anchor, positive, negative) into the rows
     * @param margin     m &gt; 0
     */
    public static Result compute(NDArray embeddings, int[][] triplets, float margin) {
        int n = triplets.length;
        if (n == 0) {
            throw new IllegalArgumentException("no triplets");
        }
        long[] a = new long[n];
        long[] p = new long[n];
        long[] q = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = triplets[i][0];
            p[i] = triplets[i][1];
            q[i] = triplets[i][2];
        }
        NDManager m = embeddings.getManager();
        NDArray ea = embeddings.get(m.create(a));
        NDArray ep = embeddings.get(m.create(p));
        NDArray en = embeddings.get(m.create(q));
        NDArray dap = ea.sub(ep).square().sum(new int[] {1});
        NDArray dan = ea.sub(en).square().sum(new int[] {1});
        NDArray hinge = dap.sub(dan).add(margin).maximum(0f);
        NDArray loss = hinge.sum().div(2f * n);
        return new Result(loss, hinge);
    }
}
