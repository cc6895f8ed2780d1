package org.mmtune.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Sample;
import org.mmtune.experiment.Ablation;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.experiment.PatchSourceFactory;
import org.mmtune.experiment.RunOutcome;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.train.CancellationToken;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.Stage;
import org.mmtune.train.TrainingListener;

/**
 * Same config + seed ⇒ same run; the arms of one seed start from shared weights; the multi-seed ablation's
 * layout, statistics and resume; the labelled subset.
 */
class SeedsAndArmsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A very small experiment: every stage runs a few iterations. */
    static ExperimentConfig small() {
        ExperimentConfig c = PipelineTest.tinyConfig();
        c.proxy.iterations = 5;
        c.proxy.cropSize = 72;
        c.finetune.cropSize = 72;
        c.mm.iterations = 4;
        c.mm.embeddingsEvery = 0;
        c.finetune.iterations = 6;
        c.finetune.evalEvery = 3;
        c.finetune.checkpointEvery = 0;
        c.eval.saveOverlays = false;
        c.eval.savePredictions = false;
        return c;
    }

    private static List<Double> losses(Path run) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            out.add(n.get("loss").asDouble());
            if (n.has("valMIoU")) {
                out.add(n.get("valMIoU").asDouble());
            }
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(6, 2, 80, 80);
        Path[] runs = new Path[3];
        long[] seeds = {3, 3, 4};
        for (int i = 0; i < 3; i++) {
            ExperimentConfig c = small();
            c.seed = seeds[i];
            runs[i] = tmp.resolve("run" + i);
            RunOutcome out = new ExperimentRunner(c, runs[i], false, new CancellationToken(), List.of(), fx,
                    MixMatchSource.factory()).run();
            assertThat(out.state()).as(out.message()).isEqualTo("finished");
        }
        List<Double> a = losses(runs[0]);
        assertThat(a).hasSize(5 + 4 + 6 + 2);
        assertThat(losses(runs[1])).containsExactlyElementsOf(a);
        assertThat(losses(runs[2])).isNotEqualTo(a);
        assertThat(losses(runs[2]).get(0)).isNotEqualTo(a.get(0));
        JsonNode r0 = JSON.readTree(runs[0].resolve("results.json").toFile());
        JsonNode r1 = JSON.readTree(runs[1].resolve("results.json").toFile());
        assertThat(r1).isEqualTo(r0);
        assertThat(r0.get("mIoU").asDouble()).isBetween(0.0, 1.0);
    }

    /** Records the starting weights of every fresh stage, by "s&lt;seed&gt;/&lt;arm&gt;/&lt;stage&gt;". */
    static final class InitialWeights {
        final Map<String, Map<String, float[]>> byStage = new HashMap<>();

        TrainingListener listener(long seed, String arm) {
            return new TrainingListener() {
                @Override
                public void onInitialWeights(Stage stage, MmtuneNet net) {
                    Map<String, float[]> w = new LinkedHashMap<>();
                    for (Pair<String, Parameter> p : net.getParameters()) {
                        w.put(p.getKey(), p.getValue().getArray().toFloatArray());
                    }
                    byStage.put("s" + seed + "/" + arm + "/" + stage.id(), w);
                }
            };
        }

        Map<String, float[]> part(long seed, String arm, Stage stage, String part) {
            Map<String, float[]> w = byStage.get("s" + seed + "/" + arm + "/" + stage.id());
            assertThat(w).as("initial weights of s" + seed + "/" + arm + "/" + stage.id()).isNotNull();
            Map<String, float[]> out = new LinkedHashMap<>();
            w.forEach((k, v) -> {
                if (k.contains(part)) {
                    out.put(k, v);
                }
            });
            assertThat(out).isNotEmpty();
            return out;
        }
    }

    private static void assertSame(Map<String, float[]> a, Map<String, float[]> b, String what) {
        assertThat(b.keySet()).as(what).isEqualTo(a.keySet());
        a.forEach((k, v) -> assertThat(b.get(k)).as(what + ": " + k).containsExactly(v));
    }

    private static boolean differs(Map<String, float[]> a, Map<String, float[]> b) {
        return a.entrySet().stream().anyMatch(e -> !java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    @Test
    void aTwoSeedAblationPairsItsArmsWritesItsStatisticsAndResumes(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(8, 1, 80, 80);
        ExperimentConfig base = small();
        base.finetune.evalEvery = 0;
        base.name = "abl";
        base.labelledFraction = 0.5;
        base.labelledSeed = 11;
        Path runs = tmp.resolve("runs");
        InitialWeights init = new InitialWeights();
        Map<String, List<String>> mmImages = new HashMap<>();
        PatchSourceFactory recording = (m, ds, train, seed) -> {
            mmImages.put("s" + seed + "/" + m.strategy, train.stream().map(Sample::id).toList());
            return MixMatchSource.factory().create(m, ds, train, seed);
        };
        List<String> calls = new ArrayList<>();
        // first invocation: s4/proxy-mm-random is stopped during fine-tuning
        Ablation.ArmRunner stopping = (arm, cfg, dir, resume) -> {
            calls.add("s" + cfg.seed + "/" + arm + (resume ? " resume" : ""));
            CancellationToken cancel = new CancellationToken();
            List<TrainingListener> ls = new ArrayList<>();
            ls.add(init.listener(cfg.seed, arm));
            if (cfg.seed == 4 && arm.equals(Ablation.PROXY_MM_RANDOM)) {
                ls.add(new TrainingListener() {
                    @Override
                    public void onIteration(IterationMetrics m) {
                        if (m.stage() == Stage.FINETUNE && m.iteration() == 2) {
                            cancel.cancel();
                        }
                    }
                });
            }
            return new ExperimentRunner(cfg, dir, resume, cancel, ls, fx, recording).run();
        };
        Ablation.Result first = Ablation.run(base, runs, List.of(3L, 4L), true, stopping);
        assertThat(first.stopped()).contains("s4/proxy-mm-random cancelled");
        assertThat(calls).containsExactly("s3/proxy", "s3/proxy-mm", "s3/proxy-mm-random", "s3/random",
                "s3/random-mm", "s4/proxy", "s4/proxy-mm", "s4/proxy-mm-random");

        calls.clear();
        Ablation.Result second = Ablation.run(base, runs, List.of(3L, 4L), true, (arm, cfg, dir, resume) -> {
            calls.add("s" + cfg.seed + "/" + arm + (resume ? " resume" : ""));
            return new ExperimentRunner(cfg, dir, resume, new CancellationToken(),
                    List.of(init.listener(cfg.seed, arm)), fx, recording).run();
        });
        assertThat(second.stopped()).isNull();
        assertThat(calls).containsExactly("s4/proxy-mm-random resume", "s4/random", "s4/random-mm");
        assertThat(second.rows()).hasSize(10);

        calls.clear();
        Ablation.Result third = Ablation.run(base, runs, List.of(3L, 4L), true, (arm, cfg, dir, resume) -> {
            calls.add(arm);
            throw new AssertionError("finished runs must be skipped");
        });
        assertThat(third.stopped()).isNull();
        assertThat(calls).isEmpty();
        Ablation.write(runs, third.rows(), "test", base);

        // layout and configs
        List<String> arms = List.of("proxy", "proxy-mm", "proxy-mm-random", "random", "random-mm");
        List<String> labelled = null;
        for (long seed : List.of(3L, 4L)) {
            for (String arm : arms) {
                Path dir = runs.resolve("s" + seed).resolve(arm);
                JsonNode cfg = JSON.readTree(dir.resolve("config.json").toFile());
                assertThat(cfg.get("arm").asText()).isEqualTo(arm);
                assertThat(cfg.get("seed").asLong()).isEqualTo(seed);
                assertThat(cfg.get("finetune").get("iterations").asInt()).isEqualTo(6);
                assertThat(JSON.readTree(dir.resolve("status.json").toFile()).get("state").asText()).isEqualTo("finished");
                // the labelled subset: the same 4 of 8 images in every arm and seed
                List<String> ids = Files.readAllLines(dir.resolve("labelled.txt"));
                if (labelled == null) {
                    labelled = ids;
                }
                assertThat(ids).hasSize(4).isEqualTo(labelled);
                String log = Files.readString(dir.resolve("run.log"));
                assertThat(log).contains("labelled images: 4 of 8 training images").contains(String.join(" ", ids))
                        .contains("finetune: 4 labelled training images");
                if (arm.equals("proxy")) {
                    assertThat(log).contains("proxy: colorization on 8 training images");
                }
            }
            assertThat(JSON.readTree(runs.resolve("s" + seed + "/proxy-mm-random/config.json").toFile())
                    .get("mm").get("strategy").asText()).isEqualTo("random");
            assertThat(JSON.readTree(runs.resolve("s" + seed + "/proxy-mm/config.json").toFile())
                    .get("mm").get("strategy").asText()).isEqualTo("classwise");
            assertThat(mmImages.get("s" + seed + "/classwise")).isEqualTo(labelled);
            assertThat(mmImages.get("s" + seed + "/random")).isEqualTo(labelled);
        }

        // paired initial weights
        for (long seed : List.of(3L, 4L)) {
            Map<String, float[]> proxyStart = init.part(seed, "proxy", Stage.PROXY, "backbone");
            assertSame(proxyStart, init.part(seed, "random", Stage.FINETUNE, "backbone"), "random backbone");
            assertSame(proxyStart, init.part(seed, "random-mm", Stage.MM, "backbone"), "random-mm backbone");
            Map<String, float[]> head = init.part(seed, "proxy", Stage.FINETUNE, "head");
            for (String arm : List.of("random", "proxy-mm", "proxy-mm-random", "random-mm")) {
                assertSame(head, init.part(seed, arm, Stage.FINETUNE, "head"), arm + " segmentation head");
            }
            Map<String, float[]> afterProxy = init.part(seed, "proxy", Stage.FINETUNE, "backbone");
            assertThat(differs(proxyStart, afterProxy)).as("the proxy stage trains the backbone").isTrue();
            assertSame(afterProxy, init.part(seed, "proxy-mm", Stage.MM, "backbone"), "proxy-mm start");
            assertSame(afterProxy, init.part(seed, "proxy-mm-random", Stage.MM, "backbone"), "proxy-mm-random start");
        }
        assertThat(differs(init.part(3, "proxy", Stage.PROXY, "backbone"), init.part(4, "proxy", Stage.PROXY, "backbone")))
                .as("seeds differ").isTrue();

        // ablation.json and its paired interval, checked by hand: t(0.975, 1) = 12.7062047362
        JsonNode abl = JSON.readTree(runs.resolve("ablation.json").toFile());
        assertThat(abl.get("seeds")).hasSize(2);
        for (String arm : arms) {
            JsonNode a = abl.get("arms").get(arm);
            assertThat(a.get("seeds")).hasSize(2);
            assertThat(a.get("mIoU")).hasSize(2);
            double m0 = a.get("mIoU").get(0).asDouble();
            double m1 = a.get("mIoU").get(1).asDouble();
            assertThat(m0).isEqualTo(JSON.readTree(runs.resolve("s3/" + arm + "/results.json").toFile())
                    .get("mIoU").asDouble());
            assertThat(a.get("mean").asDouble()).isCloseTo((m0 + m1) / 2, within(1e-12));
            assertThat(a.get("std").asDouble()).isCloseTo(Math.abs(m0 - m1) / Math.sqrt(2), within(1e-12));
        }
        JsonNode comps = abl.get("comparisons");
        assertThat(comps).hasSize(4);
        assertThat(comps.get(0).get("a").asText()).isEqualTo("proxy-mm");
        assertThat(comps.get(0).get("b").asText()).isEqualTo("proxy");
        assertThat(comps.get(1).get("b").asText()).isEqualTo("proxy-mm-random");
        assertThat(comps.get(2).get("a").asText()).isEqualTo("proxy");
        assertThat(comps.get(3).get("a").asText()).isEqualTo("random-mm");
        JsonNode c = comps.get(0);
        double d3 = mIoU(runs, 3, "proxy-mm") - mIoU(runs, 3, "proxy");
        double d4 = mIoU(runs, 4, "proxy-mm") - mIoU(runs, 4, "proxy");
        double mean = (d3 + d4) / 2;
        double half = 12.7062047362 * (Math.abs(d3 - d4) / Math.sqrt(2)) / Math.sqrt(2);
        assertThat(c.get("pairedSeeds")).hasSize(2);
        assertThat(c.get("meanDiff").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(c.get("ci95").get(0).asDouble()).isCloseTo(mean - half, within(1e-9));
        assertThat(c.get("ci95").get(1).asDouble()).isCloseTo(mean + half, within(1e-9));
        assertThat(Files.readString(runs.resolve("ablation.md"))).contains("proxy-mm − proxy").contains("± ");
        assertThat(Files.readAllLines(runs.resolve("ablation.csv")).get(0)).startsWith("row,arm,vs,seed");
    }

    private static double mIoU(Path runs, long seed, String arm) throws Exception {
        return JSON.readTree(runs.resolve("s" + seed + "/" + arm + "/results.json").toFile()).get("mIoU").asDouble();
    }
}
