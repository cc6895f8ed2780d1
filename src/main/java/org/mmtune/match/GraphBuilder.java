package org.mmtune.match;

import java.util.SplittableRandom;

/**
 * Builds match graphs in time linear in the number of nodes (times the number of classes for the
 * negative draws), using per-class index lists instead of the reference implementation's quadratic
 * scan over earlier nodes. Labels are class indices (non-negative ints). Seeded and deterministic.
 */
public final class GraphBuilder {

    private GraphBuilder() {
    }

    /** Builds with a strategy; {@code embeddings} (one row per node) is required for {@link MatchStrategy#HARD}. */
    public static MatchGraph build(MatchStrategy strategy, int[] labels, long seed, float[][] embeddings,
                                   boolean semiHard) {
        return switch (strategy) {
            case CLASSWISE -> classwise(labels, seed);
            case RANDOM -> random(labels, seed);
            case HARD -> {
                if (embeddings == null) {
                    throw new IllegalArgumentException("the hard strategy needs embeddings");
                }
                yield hard(labels, seed, embeddings, semiHard);
            }
        };
    }

    /** Per-class index lists (counting sort): members of class c are {@code members[start[c] .. start[c+1])}. */
    private static final class Classes {
        final int numClasses;
        final int[] start;
        final int[] members;
        final int[] present; // classes with at least one node

        Classes(int[] labels) {
            int max = -1;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0) {
                    throw new IllegalArgumentException("node " + i + " has a negative label " + labels[i]);
                }
                max = Math.max(max, labels[i]);
            }
            if (max >= 1 << 20) {
                throw new IllegalArgumentException("label " + max + " is too large for a class index");
            }
            numClasses = max + 1;
            start = new int[numClasses + 1];
            for (int l : labels) {
                start[l + 1]++;
            }
            int np = 0;
            for (int c = 0; c < numClasses; c++) {
                if (start[c + 1] > 0) {
                    np++;
                }
                start[c + 1] += start[c];
            }
            present = new int[np];
            for (int c = 0, j = 0; c < numClasses; c++) {
                if (start[c + 1] > start[c]) {
                    present[j++] = c;
                }
            }
            members = new int[labels.length];
            int[] fill = start.clone();
            for (int i = 0; i < labels.length; i++) {
                members[fill[labels[i]]++] = i;
            }
        }

        int count(int c) {
            return start[c + 1] - start[c];
        }

        /** A random node of class c other than {@code self}, or {@code self} when c has only it. */
        int otherOfClass(int c, int self, SplittableRandom rng) {
            int cnt = count(c);
            if (cnt < 2) {
                return self;
            }
            int r = members[start[c] + rng.nextInt(cnt - 1)];
            return r == self ? members[start[c + 1] - 1] : r;
        }

        /** A node uniformly drawn among all nodes not of class c, or -1 when there is none. */
        int notOfClass(int c, SplittableRandom rng, int total) {
            int others = total - count(c);
            if (others <= 0) {
                return -1;
            }
            int r = rng.nextInt(others);
            for (int d : present) {
                if (d == c) {
                    continue;
                }
                int cnt = count(d);
                if (r < cnt) {
                    return members[start[d] + r];
                }
                r -= cnt;
            }
            throw new IllegalStateException("unreachable");
        }
    }

    /** A random permutation of 0..n-1. */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The paper's class-wise connected graph. */
    public static MatchGraph classwise(int[] labels, long seed) {
        int n = labels.length;
        SplittableRandom rng = new SplittableRandom(seed);
        Classes cls = new Classes(labels);
        int[] order = permutation(n, rng);
        int[] pos = new int[n];
        int[] neg = new int[n];
        java.util.Arrays.fill(pos, -1);
        java.util.Arrays.fill(neg, -1);
        // visited nodes of class c in visiting order: visited[start[c] .. start[c] + filled[c])
        int[] visited = new int[n];
        int[] filled = new int[cls.numClasses];
        for (int k = 0; k < n; k++) {
            int v = order[k];
            int c = labels[v];
            if (filled[c] > 0) {
                pos[v] = visited[cls.start[c] + rng.nextInt(filled[c])];
            }
            int others = k - filled[c];
            if (others > 0) {
                int r = rng.nextInt(others);
                for (int d : cls.present) {
                    if (d == c) {
                        continue;
                    }
                    if (r < filled[d]) {
                        neg[v] = visited[cls.start[d] + r];
                        break;
                    }
                    r -= filled[d];
                }
            }
            visited[cls.start[c] + filled[c]++] = v;
        }
        // Fill the gaps from the whole batch, in visiting order.
        for (int k = 0; k < n; k++) {
            int v = order[k];
            if (pos[v] < 0) {
                pos[v] = cls.otherOfClass(labels[v], v, rng);
            }
            if (neg[v] < 0) {
                neg[v] = cls.notOfClass(labels[v], rng, n);
            }
        }
        return new MatchGraph(MatchStrategy.CLASSWISE, labels, pos, neg, order);
    }

    /** Random triplets: positive and negative drawn uniformly from the whole batch. */
    public static MatchGraph random(int[] labels, long seed) {
        int n = labels.length;
        SplittableRandom rng = new SplittableRandom(seed);
        Classes cls = new Classes(labels);
        int[] pos = new int[n];
        int[] neg = new int[n];
        for (int v = 0; v < n; v++) {
            pos[v] = cls.otherOfClass(labels[v], v, rng);
            neg[v] = cls.notOfClass(labels[v], rng, n);
        }
        return new MatchGraph(MatchStrategy.RANDOM, labels, pos, neg, null);
    }

    /**
     * Hard negatives: the class-wise graph's positives, and for each anchor the closest node of
     * another class in {@code embeddings} (semi-hard: the closest one farther than the positive, or
     * the closest at all when none is). Quadratic in the batch size.
     */
    public static MatchGraph hard(int[] labels, long seed, float[][] embeddings, boolean semiHard) {
        if (embeddings.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + embeddings.length + " embeddings");
        }
        MatchGraph base = classwise(labels, seed);
        int n = labels.length;
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            pos[i] = base.positive(i);
        }
        int[] neg = TripletStats.hardNegatives(embeddings, labels, pos, semiHard);
        return new MatchGraph(MatchStrategy.HARD, labels, pos, neg, base.order());
    }
}
