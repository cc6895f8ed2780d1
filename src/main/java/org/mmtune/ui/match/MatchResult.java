package org.mmtune.ui.match;

import org.mmtune.match.MatchGraph;
import org.mmtune.match.TripletStats;
import org.mmtune.ui.mix.MixResult;

/**
 * A built graph as the Match view shows it.
 *
 * @param mix           the mixed batch it was built on
 * @param graph         the match graph
 * @param positiveEdges its positive edges ({from, to})
 * @param negativeEdges its negative edges
 * @param embeddings    one row per node (distances and the PCA layout use these)
 * @param embeddingName what the embeddings are, for the UI
 * @param positions     node positions in [-1, 1]²
 * @param layout        the layout the positions come from
 * @param tripletIndex  node → its row in {@code stats}, or -1 when the node has no triplet
 * @param stats         distances and losses of the graph's triplets (at the margin of the build)
 * @param buildMs       time to build graph, embeddings and layout
 */
public record MatchResult(MixResult mix, MatchGraph graph, int[][] positiveEdges, int[][] negativeEdges,
                          float[][] embeddings, String embeddingName, double[][] positions,
                          MatchViewModel.Layout layout, int[] tripletIndex, TripletStats stats, double buildMs) {

    /** Squared anchor–positive distance of a node's triplet (NaN if none). */
    public double dPos(int node) {
        int t = tripletIndex[node];
        return t < 0 ? Double.NaN : stats.dPos()[t];
    }

    /** Squared anchor–negative distance of a node's triplet (NaN if none). */
    public double dNeg(int node) {
        int t = tripletIndex[node];
        return t < 0 ? Double.NaN : stats.dNeg()[t];
    }

    /** Whether node's triplet violates margin m. */
    public boolean violated(int node, double m) {
        int t = tripletIndex[node];
        return t >= 0 && m + stats.dPos()[t] - stats.dNeg()[t] > 0;
    }
}
