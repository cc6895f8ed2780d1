package org.mmtune.match;

/** How triplets are formed from the patches of a mixed batch. */
public enum MatchStrategy {
    /**
     * The paper's class-wise connected graph: in a random visiting order each node links to a random
     * earlier node of its class (positive) and of another class (negative); gaps are filled from the
     * whole batch afterwards. Each class with at least two nodes is one connected component.
     */
    CLASSWISE,
    /** Ablation: positive and negative drawn uniformly from the whole batch, no graph structure. */
    RANDOM,
    /**
     * Ablation: class-wise positives, and as negative the closest node of another class in a given
     * embedding (optionally semi-hard: the closest one farther than the positive).
     */
    HARD;

    /** Parses {@code classwise|random|hard} (any case); throws naming the accepted values. */
    public static MatchStrategy parse(String s) {
        for (MatchStrategy m : values()) {
            if (m.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("strategy '" + s + "' is not one of classwise, random, hard");
    }
}
