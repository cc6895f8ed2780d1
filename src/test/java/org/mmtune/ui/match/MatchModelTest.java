package org.mmtune.ui.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.SampleData;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.MatchStrategy;
import org.mmtune.match.TripletStats;
import org.mmtune.mix.MixConfig;
import org.mmtune.ui.mix.MixResult;
import org.mmtune.ui.mix.MixViewModel;

/** The view models' work off the FX thread: mixing, graph building, violation counts, JSON export. */
class MatchModelTest {

    private static SegmentationDataset ds;

    @BeforeAll
    static void open() throws Exception {
        ds = DatasetLoader.open(SampleData.locate().orElseThrow());
    }

    private static MixResult mix(long seed) throws Exception {
        return MixViewModel.mix(ds, "train", MixConfig.defaults().withImagesPerBatch(12).withSeed(seed), 0);
    }

    @Test
    void sameSeedSamePatchesOtherSeedOtherPatches() throws Exception {
        MixResult a = mix(3);
        assertThat(a.batch().patches()).isEqualTo(mix(3).batch().patches());
        assertThat(a.batch().patches()).isNotEqualTo(mix(4).batch().patches());
        assertThat(a.thumbs()).hasSize(a.batch().size()).doesNotContainNull();
        assertThat(a.gray()[0]).hasSize(a.previewSize() * a.previewSize());
    }

    @Test
    void classwiseGraphHasOneComponentPerClassAndViolationsFollowTheMargin() throws Exception {
        MixResult m = mix(5);
        MatchResult r = MatchViewModel.build(m, MatchStrategy.CLASSWISE, MatchViewModel.Layout.CLUSTERS, false, 2.1);
        Map<Integer, Integer> nodes = r.graph().nodesPerClass();
        r.graph().componentsPerClass().forEach((cls, comps) -> {
            if (nodes.get(cls) >= 2) {
                assertThat(comps).as("components of class %d", cls).isEqualTo(1);
            }
        });
        assertThat(r.positions()).hasNumberOfRows(m.batch().size());
        for (double[] p : r.positions()) {
            assertThat(Math.abs(p[0])).isLessThanOrEqualTo(1.0 + 1e-9);
            assertThat(Math.abs(p[1])).isLessThanOrEqualTo(1.0 + 1e-9);
        }
        // the stats agree with the match package's own computation, and fall as the margin falls
        TripletStats ref = TripletStats.compute(r.embeddings(), r.graph().triplets(), 2.1);
        assertThat(r.stats().violations()).isEqualTo(ref.violations());
        int previous = Integer.MAX_VALUE;
        for (double margin = 4; margin >= 0; margin -= 0.5) {
            int v = r.stats().violationsAt(margin);
            assertThat(v).isLessThanOrEqualTo(previous);
            previous = v;
        }
        assertThat(r.stats().violationsAt(4)).isEqualTo(r.stats().count());
        int node = 3;
        assertThat(r.violated(node, 2.1)).isEqualTo(2.1 + r.dPos(node) - r.dNeg(node) > 0);
    }

    @Test
    void pcaLayoutAndOtherStrategiesBuild() throws Exception {
        MixResult m = mix(6);
        for (MatchStrategy s : MatchStrategy.values()) {
            MatchResult r = MatchViewModel.build(m, s, MatchViewModel.Layout.PCA, false, 1.0);
            assertThat(r.graph().strategy()).isEqualTo(s);
            assertThat(r.stats().count()).isEqualTo(m.batch().size());
        }
    }

    @Test
    void exportsTheGraphAsJson(@TempDir Path dir) throws Exception {
        MixResult m = mix(7);
        MatchResult r = MatchViewModel.build(m, MatchStrategy.CLASSWISE, MatchViewModel.Layout.CLUSTERS, false, 2.1);
        Path file = dir.resolve("graph.json");
        MatchView.writeJson(r, 1.5, file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("nodes").asInt()).isEqualTo(m.batch().size());
        assertThat(json.get("labels")).hasSize(m.batch().size());
        assertThat(json.get("triplets")).hasSize(r.graph().triplets().length);
        assertThat(json.get("triplets").get(0)).hasSize(3);
        assertThat(json.get("violations").asInt()).isEqualTo(r.stats().violationsAt(1.5));
        assertThat(json.get("strategy").asText()).isEqualTo("classwise");
        assertThat(json.get("patches").get(0).get("image").asText()).isEqualTo(m.batch().patch(0).imageId());
        assertThat(json.get("embedding").asText()).contains("descriptor");
    }
}
