package org.mmtune.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    private static int[] randomLabels(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextInt(classes);
        }
        return l;
    }

    private static void assertTripletsValid(MatchGraph g) {
        int[] labels = g.labels();
        assertThat(g.triplets().length).isEqualTo(labels.length);
        for (int i = 0; i < labels.length; i++) {
            int[] t = g.triplet(i);
            assertThat(t[0]).isEqualTo(i);
            assertThat(labels[t[1]]).isEqualTo(labels[i]);
            assertThat(labels[t[2]]).isNotEqualTo(labels[i]);
        }
    }

    @Test
    void classwiseGraphConnectsEachClass() {
        for (long seed = 0; seed < 50; seed++) {
            int[] labels = randomLabels(400, 1 + (int) (seed % 12), seed);
            labels[0] = 20; // a class with a single node
            MatchGraph g = GraphBuilder.classwise(labels, seed);
            assertTripletsValid(g);
            assertThat(g.positive(0)).isEqualTo(0); // alone in its class: its own positive
            Map<Integer, Integer> nodes = g.nodesPerClass();
            Map<Integer, Integer> comps = g.componentsPerClass();
            assertThat(comps.keySet()).isEqualTo(nodes.keySet());
            comps.forEach((cls, c) -> assertThat(c).as("components of class " + cls).isEqualTo(1));
            // a tree plus gap fills: at least one positive edge per class member except lone nodes
            assertThat(g.positiveEdges().length).isEqualTo(399);
            assertThat(g.negativeEdges().length).isEqualTo(400);
        }
    }

    @Test
    void classwiseEdgesPointToEarlierNodesExceptGapFills() {
        int[] labels = randomLabels(300, 6, 5);
        MatchGraph g = GraphBuilder.classwise(labels, 9);
        int[] order = g.order();
        int[] rank = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            rank[order[k]] = k;
        }
        int gapsPos = 0;
        int gapsNeg = 0;
        for (int v = 0; v < labels.length; v++) {
            if (rank[g.positive(v)] >= rank[v]) {
                gapsPos++;
            }
            if (rank[g.negative(v)] >= rank[v]) {
                gapsNeg++;
            }
        }
        // only the first visited node of each class lacks an earlier positive (6 classes)
        assertThat(gapsPos).isEqualTo(6);
        // only the nodes visited before any node of another class lack an earlier negative
        int firstOther = 1;
        while (labels[order[firstOther]] == labels[order[0]]) {
            firstOther++;
        }
        assertThat(gapsNeg).isEqualTo(firstOther);
    }

    @Test
    void degreesAndEdgeKinds() {
        int[] labels = {0, 0, 1, 1, 1};
        MatchGraph g = GraphBuilder.classwise(labels, 1);
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            assertThat(g.degree(i)).isEqualTo(g.degree(i, EdgeKind.POSITIVE) + g.degree(i, EdgeKind.NEGATIVE));
            assertThat(g.degree(i, EdgeKind.POSITIVE)).isGreaterThanOrEqualTo(1);
            sum += g.degree(i, EdgeKind.NEGATIVE);
        }
        assertThat(sum).isEqualTo(2 * g.edges(EdgeKind.NEGATIVE).length);
        assertThat(g.componentsPerClass()).containsEntry(0, 1).containsEntry(1, 1);
    }

    @Test
    void sameSeedSameGraph() {
        int[] labels = randomLabels(500, 8, 1);
        MatchGraph a = GraphBuilder.classwise(labels, 3);
        MatchGraph b = GraphBuilder.classwise(labels, 3);
        MatchGraph c = GraphBuilder.classwise(labels, 4);
        assertThat(a.triplets()).isDeepEqualTo(b.triplets());
        assertThat(a.triplets()).isNotEqualTo(c.triplets());
    }

    @Test
    void singleClassBatchHasNoNegatives() {
        MatchGraph g = GraphBuilder.classwise(new int[] {3, 3, 3}, 0);
        assertThat(g.triplets()).isEmpty();
        assertThat(g.negative(0)).isEqualTo(-1);
        assertThat(g.componentsPerClass()).containsExactly(Map.entry(3, 1));
        assertThat(GraphBuilder.classwise(new int[0], 0).size()).isZero();
        assertThatThrownBy(() -> GraphBuilder.classwise(new int[] {1, -1}, 0)).hasMessageContaining("negative label");
    }

    @Test
    void randomTripletsRespectClassesOnly() {
        int[] labels = randomLabels(400, 5, 2);
        MatchGraph g = GraphBuilder.random(labels, 2);
        assertTripletsValid(g);
        assertThat(g.strategy()).isEqualTo(MatchStrategy.RANDOM);
        assertThat(g.order()).isNull();
    }

    @Test
    void hardNegativesAreTheClosestOfAnotherClass() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 60;
        int[] labels = randomLabels(n, 4, 3);
        float[][] emb = new float[n][8];
        for (float[] e : emb) {
            for (int j = 0; j < e.length; j++) {
                e[j] = (float) r.nextGaussian();
            }
        }
        MatchGraph g = GraphBuilder.hard(labels, 1, emb, false);
        MatchGraph semi = GraphBuilder.build(MatchStrategy.HARD, labels, 1, emb, true);
        assertTripletsValid(g);
        for (int a = 0; a < n; a++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < n; j++) {
                if (labels[j] != labels[a]) {
                    best = Math.min(best, TripletStats.squaredDistance(emb[a], emb[j]));
                }
            }
            assertThat(TripletStats.squaredDistance(emb[a], emb[g.negative(a)])).isEqualTo(best);
            double dap = TripletStats.squaredDistance(emb[a], emb[semi.positive(a)]);
            double dan = TripletStats.squaredDistance(emb[a], emb[semi.negative(a)]);
            boolean farther = false;
            for (int j = 0; j < n; j++) {
                if (labels[j] != labels[a] && TripletStats.squaredDistance(emb[a], emb[j]) > dap) {
                    farther = true;
                    assertThat(dan).isLessThanOrEqualTo(TripletStats.squaredDistance(emb[a], emb[j]));
                }
            }
            if (farther) {
                assertThat(dan).isGreaterThan(dap);
            }
        }
        // class-wise positives are kept, so classes stay connected
        g.componentsPerClass().forEach((cls, c) -> assertThat(c).isEqualTo(1));
        assertThatThrownBy(() -> GraphBuilder.build(MatchStrategy.HARD, labels, 1, null, false))
                .hasMessageContaining("embeddings");
    }

    @Test
    void buildIsLinearNotQuadratic() {
        // a quadratic scan over 1,000,000 nodes would need ~10^12 steps; linear finishes at once
        int[] labels = randomLabels(1_000_000, 11, 6);
        int[] skewed = new int[1_000_000]; // one dominant class: negatives must stay cheap
        skewed[123] = 1;
        skewed[999_999] = 2;
        MatchGraph g = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> GraphBuilder.classwise(labels, 1));
        MatchGraph s = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> GraphBuilder.classwise(skewed, 1));
        assertThat(g.componentsPerClass().values()).containsOnly(1);
        assertThat(s.componentsPerClass()).containsEntry(0, 1).containsEntry(1, 1).containsEntry(2, 1);
        assertThat(s.labels()[s.negative(123)]).isNotEqualTo(1);
    }
}
