package org.mmtune.match;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The match graph of a mixed batch: node {@code i} is patch {@code i} with class {@code labels[i]};
 * it has one positive edge {@code i → positive(i)} (a node of its class; itself when it is alone in
 * its class) and one negative edge {@code i → negative(i)} (a node of another class; -1 when the
 * batch holds a single class). Node {@code i}'s triplet is {@code (i, positive(i), negative(i))}.
 * Immutable.
 */
public final class MatchGraph {

    private final MatchStrategy strategy;
    private final int[] labels;
    private final int[] positive;
    private final int[] negative;
    private final int[] order;
    private int[] componentIds;
    private int[][] degrees;

    /**
     * @param order the visiting order used to build the graph (null when not applicable)
     */
    public MatchGraph(MatchStrategy strategy, int[] labels, int[] positive, int[] negative, int[] order) {
        int n = labels.length;
        if (positive.length != n || negative.length != n || (order != null && order.length != n)) {
            throw new IllegalArgumentException("labels, positive, negative and order must have the same length");
        }
        for (int i = 0; i < n; i++) {
            int p = positive[i];
            int q = negative[i];
            if (p < 0 || p >= n || labels[p] != labels[i]) {
                throw new IllegalArgumentException("node " + i + ": positive " + p + " is not a node of its class");
            }
            if (q >= n || (q >= 0 && labels[q] == labels[i])) {
                throw new IllegalArgumentException("node " + i + ": negative " + q + " is not a node of another class");
            }
        }
        this.strategy = strategy;
        this.labels = labels.clone();
        this.positive = positive.clone();
        this.negative = negative.clone();
        this.order = order == null ? null : order.clone();
    }

    public MatchStrategy strategy() {
        return strategy;
    }

    /** Number of nodes. */
    public int size() {
        return labels.length;
    }

    public int[] labels() {
        return labels.clone();
    }

    public int label(int node) {
        return labels[node];
    }

    public int positive(int node) {
        return positive[node];
    }

    /** The negative partner, or -1 when there is no node of another class. */
    public int negative(int node) {
        return negative[node];
    }

    /** Visiting order of the build, or null. */
    public int[] order() {
        return order == null ? null : order.clone();
    }

    /** The triplet {anchor, positive, negative} of a node (negative -1 when there is none). */
    public int[] triplet(int node) {
        return new int[] {node, positive[node], negative[node]};
    }

    /** One triplet per node that has a negative (every node unless the batch holds a single class). */
    public int[][] triplets() {
        int m = 0;
        for (int q : negative) {
            if (q >= 0) {
                m++;
            }
        }
        int[][] t = new int[m][];
        for (int i = 0, j = 0; i < labels.length; i++) {
            if (negative[i] >= 0) {
                t[j++] = new int[] {i, positive[i], negative[i]};
            }
        }
        return t;
    }

    /**
     * The edges of one kind as {from, to} pairs, one per node (anchor → partner); positive self-loops
     * of lone nodes and missing negatives are left out.
     */
    public int[][] edges(EdgeKind kind) {
        int[] to = kind == EdgeKind.POSITIVE ? positive : negative;
        int m = 0;
        for (int i = 0; i < to.length; i++) {
            if (to[i] >= 0 && to[i] != i) {
                m++;
            }
        }
        int[][] e = new int[m][];
        for (int i = 0, j = 0; i < to.length; i++) {
            if (to[i] >= 0 && to[i] != i) {
                e[j++] = new int[] {i, to[i]};
            }
        }
        return e;
    }

    public int[][] positiveEdges() {
        return edges(EdgeKind.POSITIVE);
    }

    public int[][] negativeEdges() {
        return edges(EdgeKind.NEGATIVE);
    }

    /** Number of edges of a kind touching a node (in either direction). */
    public int degree(int node, EdgeKind kind) {
        return degrees()[kind.ordinal()][node];
    }

    /** Number of edges of both kinds touching a node. */
    public int degree(int node) {
        int[][] d = degrees();
        return d[0][node] + d[1][node];
    }

    private synchronized int[][] degrees() {
        if (degrees == null) {
            int n = labels.length;
            int[][] d = new int[2][n];
            for (int i = 0; i < n; i++) {
                if (positive[i] != i) {
                    d[0][i]++;
                    d[0][positive[i]]++;
                }
                if (negative[i] >= 0) {
                    d[1][i]++;
                    d[1][negative[i]]++;
                }
            }
            degrees = d;
        }
        return degrees;
    }

    /** Connected component of each node over the positive edges (ids are the smallest node of the component). */
    public synchronized int[] componentIds() {
        if (componentIds == null) {
            int n = labels.length;
            int[] parent = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
            for (int i = 0; i < n; i++) {
                int a = find(parent, i);
                int b = find(parent, positive[i]);
                if (a != b) {
                    parent[Math.max(a, b)] = Math.min(a, b);
                }
            }
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = find(parent, i);
            }
            componentIds = ids;
        }
        return componentIds.clone();
    }

    private static int find(int[] parent, int x) {
        int r = x;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[x] != r) {
            int next = parent[x];
            parent[x] = r;
            x = next;
        }
        return r;
    }

    /** Class → number of connected components of positive edges among that class's nodes. */
    public Map<Integer, Integer> componentsPerClass() {
        int[] ids = componentIds();
        Map<Integer, Integer> out = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == i) { // i is the root (smallest node) of its component
                out.merge(labels[i], 1, Integer::sum);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Class → number of nodes. */
    public Map<Integer, Integer> nodesPerClass() {
        Map<Integer, Integer> out = new TreeMap<>();
        for (int l : labels) {
            out.merge(l, 1, Integer::sum);
        }
        return Collections.unmodifiableMap(out);
    }
}
