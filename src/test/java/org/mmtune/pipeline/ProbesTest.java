package org.mmtune.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.eval.Probes;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.experiment.ProbeRunner;
import org.mmtune.experiment.RunOutcome;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.NetSpec;
import org.mmtune.train.CancellationToken;

/** The probes (k-NN on pool5 patches, linear probe on conv5) and the M&amp;M metrics that move. */
class ProbesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void knnVotesLikeAHandComputation() {
        // gallery on the unit circle: class 0 near angle 0, class 1 near 90 degrees, class 2 at 180
        float[][] g = {{1, 0}, {1, 0.1f}, {1, -0.1f}, {0, 1}, {0.1f, 1}, {-1, 0}};
        int[] gl = {0, 0, 0, 1, 1, 2};
        // q0 near class 0, q1 near class 1 (neighbours 3, 4 and then 1: two votes class 1), q2 truly 2 but
        // nearest are 2 (class 2 once) and class 1 twice -> wrong
        float[][] q = {{1, 0.05f}, {0.2f, 1}, {-1, 0.9f}};
        int[] ql = {0, 1, 2};
        double[] r = Probes.knn(g, gl, q, ql, 3, 3);
        assertThat(r[0]).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r[1]).isCloseTo((1 + 1 + 0) / 3.0, within(1e-12));
        // k = 1: q2's nearest (cosine) is (-1, 0) of class 2, so all three are right
        assertThat(Probes.knn(g, gl, q, ql, 1, 3)[0]).isEqualTo(1.0);
    }

    @Test
    void badProbeSettingsAreRefusedNamingTheKey() {
        for (String[] c : new String[][] {{"knnK", "0"}, {"linearBatchSize", "0"}, {"linearLearningRate", "-1"},
                {"knnGalleryImages", "-2"}, {"linearIterations", "-1"}}) {
            assertThatThrownBy(() -> ExperimentConfigs.parse("{\"probes\": {\"" + c[0] + "\": " + c[1] + "}}", "x.json"))
                    .hasMessageStartingWith("x.json: probes." + c[0]);
        }
        assertThatThrownBy(() -> ExperimentConfigs.parse("{\"probes\": {\"k\": 3}}", "x.json"))
                .hasMessageContaining("unknown key 'probes.k'");
        assertThatThrownBy(() -> ExperimentConfigs.parse("{\"proxy\": {\"classRebalance\": \"yes\"}}", "x.json"))
                .hasMessageContaining("proxy.classRebalance");
    }

    @Test
    void theSameSeedPicksTheSameSubset() {
        assertThat(Probes.choose(50, 10, 4)).containsExactly(Probes.choose(50, 10, 4)).hasSize(10).isSorted();
        assertThat(Probes.choose(5, 0, 4)).containsExactly(0, 1, 2, 3, 4);
    }

    static ExperimentConfig probed() {
        ExperimentConfig c = PipelineTest.tinyConfig();
        c.proxy.iterations = 6;
        c.proxy.classRebalance = true;
        c.mm.iterations = 6;
        c.mm.embeddingsEvery = 0;
        c.finetune.iterations = 4;
        c.finetune.evalEvery = 0;
        c.finetune.checkpointEvery = 0;
        c.eval.saveOverlays = false;
        c.eval.savePredictions = false;
        c.probes.enabled = true;
        c.probes.knnK = 3;
        c.probes.knnGalleryImages = 6;
        c.probes.knnPatchesPerImage = 5;
        c.probes.linearTrainImages = 6;
        c.probes.linearValImages = 3;
        c.probes.linearIterations = 20;
        c.probes.linearBatchSize = 2;
        c.probes.linearLearningRate = 0.1f;
        return c;
    }

    @Test
    void probesOfTheSameWeightsAreInRangeAndRepeatExactly(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(8, 3, 96, 96);
        ExperimentConfig c = probed();
        List<Sample> train = new ArrayList<>();
        for (var p : fx.dataset().pairs("train")) {
            train.add(fx.read(fx.dataset(), p));
        }
        List<Sample> val = new ArrayList<>();
        for (var p : fx.dataset().pairs("val")) {
            val.add(fx.read(fx.dataset(), p));
        }
        Path w = tmp.resolve("initial.params");
        ProbeRunner.writeInitial(w, new NetSpec(BackboneType.ALEXNET, 16), Device.cpu(), 5);
        Probes.Data d1 = ProbeRunner.data(c, fx.dataset(), train, val);
        Probes.Data d2 = ProbeRunner.data(c, fx.dataset(), train, val);
        assertThat(d1.gallery().labels()).containsExactly(d2.gallery().labels());
        assertThat(d1.queries().count()).isGreaterThan(5);
        Probes.Result a = ProbeRunner.probe(w, d1, ProbeRunner.settings(c.probes), Device.cpu(), null);
        Probes.Result b = ProbeRunner.probe(w, d2, ProbeRunner.settings(c.probes), Device.cpu(), null);
        assertThat(a.knnAccuracy()).isBetween(0.0, 1.0);
        assertThat(a.knnMeanClassAccuracy()).isBetween(0.0, 1.0);
        assertThat(a.linearProbeMIoU()).isBetween(0.0, 1.0);
        assertThat(a.linearProbePixelAccuracy()).isBetween(0.0, 1.0);
        assertThat(a.knnQueries()).isEqualTo(d1.queries().count());
        assertThat(b.knnAccuracy()).isEqualTo(a.knnAccuracy());
        assertThat(b.knnMeanClassAccuracy()).isEqualTo(a.knnMeanClassAccuracy());
        assertThat(b.linearProbeMIoU()).isEqualTo(a.linearProbeMIoU());
        // the same seed writes the same initial weights
        Path w2 = tmp.resolve("again.params");
        ProbeRunner.writeInitial(w2, new NetSpec(BackboneType.ALEXNET, 16), Device.cpu(), 5);
        assertThat(Files.readAllBytes(w2)).isEqualTo(Files.readAllBytes(w));
    }

    @Test
    void aProbedRunRecordsProbesAndTheMmMetrics(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(8, 3, 96, 96);
        Path run = tmp.resolve("run");
        RunOutcome out = new ExperimentRunner(probed(), run, false, new CancellationToken(), List.of(), fx,
                MixMatchSource.factory()).run();
        assertThat(out.state()).as(out.message()).isEqualTo("finished");
        JsonNode res = JSON.readTree(run.resolve("results.json").toFile());
        assertThat(res.get("mIoU").asDouble()).isBetween(0.0, 1.0);
        JsonNode probes = res.get("probes");
        assertThat(probes.fieldNames()).toIterable().containsExactly("initial", "proxy", "mm");
        for (JsonNode p : probes) {
            for (String key : List.of("knnAccuracy", "knnMeanClassAccuracy", "linearProbeMIoU")) {
                assertThat(p.get(key).asDouble()).as(key).isBetween(0.0, 1.0);
            }
        }
        assertThat(probes.get("initial").get("weights").asText()).isEqualTo("initial.params");
        assertThat(probes.get("initial").has("seconds")).as("wall time is not part of the results").isFalse();
        assertThat(JSON.readTree(run.resolve("probes.json").toFile())).isEqualTo(probes);
        assertThat(Files.readString(run.resolve("run.log"))).contains("proxy: backbone initialised from")
                .contains("probe mm: k-NN accuracy").contains("proxy: class rebalancing");
        List<JsonNode> mm = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("stage").asText().equals("mm")) {
                mm.add(n);
            }
        }
        assertThat(mm).hasSize(6).allSatisfy(n -> {
            assertThat(n.get("orderedFraction").asDouble()).isBetween(0.0, 1.0);
            assertThat(n.get("meanCosGap").asDouble()).isBetween(-2.0, 2.0);
            assertThat(n.get("violatedFraction").asDouble()).isBetween(0.0, 1.0);
        });

        // a sibling run starting from this run's proxy checkpoint reuses its probe of those weights
        ExperimentConfig c2 = probed();
        c2.proxy.enabled = false;
        c2.mm.iterations = 2;
        c2.mm.strategy = "random";
        c2.finetune.enabled = false;
        c2.eval.enabled = false;
        c2.initCheckpoint = run.resolve("checkpoints/proxy.params").toString();
        Path run2 = tmp.resolve("run2");
        RunOutcome out2 = new ExperimentRunner(c2, run2, false, new CancellationToken(), List.of(), fx,
                MixMatchSource.factory()).run();
        assertThat(out2.state()).as(out2.message()).isEqualTo("finished");
        JsonNode p2 = JSON.readTree(run2.resolve("probes.json").toFile());
        assertThat(p2.fieldNames()).toIterable().containsExactly("initial", "mm");
        assertThat(p2.get("initial")).isEqualTo(probes.get("proxy"));
        assertThat(p2.get("mm").get("probedIn").asText()).isEqualTo("run2");
        assertThat(Files.readString(run2.resolve("run.log"))).contains("probe initial: the same weights were probed");
    }
}
