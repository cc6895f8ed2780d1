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

    /**
     * Loss, the per-triplet hinge terms, and per triplet the squared distances anchor–positive and
     * anchor–negative and the cosine gap {@code cos(a,p) − cos(a,n)} (null when built without them).
     */
    public record Result(NDArray loss, NDArray hinge, NDArray dap, NDArray dan, NDArray cosGap) {

        public Result(NDArray loss, NDArray hinge) {
            this(loss, hinge, null, null, null);
        }

        /** Fraction of triplets whose hinge is positive (violating the margin). */
        public float violatedFraction() {
            long n = hinge.getShape().get(0);
            return n == 0 ? 0f : hinge.gt(0f).sum().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat() / n;
        }

        /**
         * Fraction of triplets already in the right order, {@code ‖a−p‖² < ‖a−n‖²}. Unlike
         * {@link #violatedFraction()} this moves with L2-normalised non-negative embeddings, whose squared
         * distances never exceed 2 and so always violate the paper's margin 2.1.
         */
        public float orderedFraction() {
            long n = dap.getShape().get(0);
            return n == 0 ? 0f : dap.lt(dan).sum().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat() / n;
        }

        /** Mean over the triplets of {@code cos(a,p) − cos(a,n)} (in [−2, 2]; 0 = no separation). */
        public float meanCosGap() {
            return cosGap.getShape().get(0) == 0 ? 0f : cosGap.mean().getFloat();
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
        // reported only, so measured without gradient
        NDArray a0 = ea.stopGradient();
        NDArray p0 = ep.stopGradient();
        NDArray n0 = en.stopGradient();
        NDArray na = a0.norm(new int[] {1}).add(1e-12f);
        NDArray cp = a0.mul(p0).sum(new int[] {1}).div(na.mul(p0.norm(new int[] {1}).add(1e-12f)));
        NDArray cn = a0.mul(n0).sum(new int[] {1}).div(na.mul(n0.norm(new int[] {1}).add(1e-12f)));
        NDArray cosGap = cp.sub(cn);
        return new Result(loss, hinge, dap, dan, cosGap);
    }
}
