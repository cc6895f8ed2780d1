package org.mmtune.match;

/**
 * Triplet loss figures for an embedding matrix, in plain Java: for triplet (a, p, n) with squared
 * distances {@code dPos = ‖a−p‖²} and {@code dNeg = ‖a−n‖²}, its loss is
 * {@code ½·max(0, m + dPos − dNeg)}; the batch loss is their mean, i.e. (1/2N)·Σ max(0, …) as in the
 * paper. A triplet violates the margin when {@code m + dPos − dNeg > 0}.
 *
 * @param margin     the margin m
 * @param dPos       squared anchor–positive distance per triplet
 * @param dNeg       squared anchor–negative distance per triplet
 * @param losses     loss per triplet
 * @param violations number of triplets violating the margin
 * @param meanLoss   mean loss (0 when there are no triplets)
 */
public record TripletStats(double margin, double[] dPos, double[] dNeg, double[] losses, int violations,
                           double meanLoss) {

    /** The paper's margin. */
    public static final double PAPER_MARGIN = 2.1;

    public int count() {
        return losses.length;
    }

    public double violatedFraction() {
        return losses.length == 0 ? 0 : (double) violations / losses.length;
    }

    /** Loss of one triplet given its squared distances. */
    public static double loss(double dPos, double dNeg, double margin) {
        return 0.5 * Math.max(0, margin + dPos - dNeg);
    }

    /** Statistics for rows of {@code embeddings} (one row per node) and the given triplets. */
    public static TripletStats compute(float[][] embeddings, int[][] triplets, double margin) {
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin must be a finite number >= 0 (got " + margin + ")");
        }
        int t = triplets.length;
        double[] dp = new double[t];
        double[] dn = new double[t];
        double[] l = new double[t];
        int viol = 0;
        double sum = 0;
        for (int i = 0; i < t; i++) {
            int[] tr = triplets[i];
            dp[i] = squaredDistance(embeddings[tr[0]], embeddings[tr[1]]);
            dn[i] = squaredDistance(embeddings[tr[0]], embeddings[tr[2]]);
            double raw = margin + dp[i] - dn[i];
            if (raw > 0) {
                viol++;
            }
            l[i] = 0.5 * Math.max(0, raw);
            sum += l[i];
        }
        return new TripletStats(margin, dp, dn, l, viol, t == 0 ? 0 : sum / t);
    }

    /** Same, for a flat row-major matrix of {@code dim} columns (as a tensor's float array). */
    public static TripletStats compute(float[] flat, int dim, int[][] triplets, double margin) {
        return compute(rows(flat, dim), triplets, margin);
    }

    /** Number of violating triplets at another margin (cheap: reuses the distances). */
    public int violationsAt(double otherMargin) {
        int v = 0;
        for (int i = 0; i < dPos.length; i++) {
            if (otherMargin + dPos[i] - dNeg[i] > 0) {
                v++;
            }
        }
        return v;
    }

    /** Splits a flat row-major matrix into rows. */
    public static float[][] rows(float[] flat, int dim) {
        if (dim < 1 || flat.length % dim != 0) {
            throw new IllegalArgumentException("a matrix of " + flat.length + " values has no rows of " + dim);
        }
        float[][] r = new float[flat.length / dim][dim];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(flat, i * dim, r[i], 0, dim);
        }
        return r;
    }

    public static double squaredDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Copies of the rows scaled to unit L2 norm (zero rows stay zero). */
    public static float[][] l2Normalize(float[][] embeddings) {
        float[][] out = new float[embeddings.length][];
        for (int i = 0; i < embeddings.length; i++) {
            float[] e = embeddings[i];
            double s = 0;
            for (float v : e) {
                s += (double) v * v;
            }
            double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
            out[i] = new float[e.length];
            for (int j = 0; j < e.length; j++) {
                out[i][j] = (float) (e[j] * inv);
            }
        }
        return out;
    }

    /**
     * For each anchor, the closest node of another class (hard negative); with {@code semiHard},
     * the closest one strictly farther than the anchor's positive, falling back to the closest when
     * none is. -1 when the batch has no node of another class.
     */
    public static int[] hardNegatives(float[][] embeddings, int[] labels, int[] positives, boolean semiHard) {
        int n = labels.length;
        int[] neg = new int[n];
        for (int a = 0; a < n; a++) {
            double dap = squaredDistance(embeddings[a], embeddings[positives[a]]);
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            int semi = -1;
            double semiD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (labels[j] == labels[a]) {
                    continue;
                }
                double d = squaredDistance(embeddings[a], embeddings[j]);
                if (d < bestD) {
                    bestD = d;
                    best = j;
                }
                if (semiHard && d > dap && d < semiD) {
                    semiD = d;
                    semi = j;
                }
            }
            neg[a] = semiHard && semi >= 0 ? semi : best;
        }
        return neg;
    }
}
