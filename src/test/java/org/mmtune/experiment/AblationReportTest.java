package org.mmtune.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ablation's tables from finished run folders (no training): statistics, probes, one seed, a changed config. */
class AblationReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void finishedRun(Path dir, double miou, Double knn) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("status.json"), "{\"state\":\"finished\",\"startedAt\":100,\"updatedAt\":160}");
        String probes = knn == null ? "" : String.format(Locale.ROOT,
                ",\"probes\":{\"initial\":{\"knnAccuracy\":0.2},\"proxy\":{\"knnAccuracy\":%s,\"name\":\"x\"}}", knn);
        Files.writeString(dir.resolve("results.json"),
                String.format(Locale.ROOT, "{\"mIoU\":%s,\"pixelAccuracy\":0.5%s}", miou, probes));
    }

    private static Ablation.Result skipAll(ExperimentConfig base, Path runs, List<Long> seeds) throws Exception {
        return Ablation.run(base, runs, seeds, false, (arm, cfg, dir, resume) -> {
            throw new AssertionError("finished runs must be skipped: " + dir);
        });
    }

    @Test
    void threeSeedsGiveMeansPairedIntervalsAndProbeStatistics(@TempDir Path tmp) throws Exception {
        Path runs = tmp.resolve("runs");
        double[] proxy = {0.40, 0.42, 0.47};
        double[] proxyMm = {0.43, 0.43, 0.51};
        for (int i = 0; i < 3; i++) {
            long seed = 1 + i;
            finishedRun(Ablation.runDir(runs, seed, "proxy"), proxy[i], 0.5 + 0.1 * i);
            finishedRun(Ablation.runDir(runs, seed, "proxy-mm"), proxyMm[i], null);
            finishedRun(Ablation.runDir(runs, seed, "proxy-mm-random"), 0.41, null);
            finishedRun(Ablation.runDir(runs, seed, "random"), 0.30, null);
        }
        ExperimentConfig base = new ExperimentConfig();
        Ablation.Result r = skipAll(base, runs, List.of(1L, 2L, 3L));
        assertThat(r.stopped()).isNull();
        Ablation.write(runs, r.rows(), "t", base);
        JsonNode j = JSON.readTree(runs.resolve("ablation.json").toFile());

        // differences 0.03, 0.01, 0.04: mean 0.026667, s = 0.0152753, t(0.975, 2) = 4.30265273
        JsonNode c = j.get("comparisons").get(0);
        assertThat(c.get("a").asText() + "-" + c.get("b").asText()).isEqualTo("proxy-mm-proxy");
        double mean = 0.08 / 3;
        double s = Math.sqrt(((0.03 - mean) * (0.03 - mean) + (0.01 - mean) * (0.01 - mean)
                + (0.04 - mean) * (0.04 - mean)) / 2);
        assertThat(s).isCloseTo(0.0152753, within(1e-6));
        double half = 4.30265273 * s / Math.sqrt(3);
        assertThat(c.get("meanDiff").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(c.get("ci95").get(0).asDouble()).isCloseTo(mean - half, within(1e-8));
        assertThat(c.get("ci95").get(1).asDouble()).isCloseTo(mean + half, within(1e-8));
        assertThat(j.get("comparisons")).hasSize(3);

        JsonNode knn = j.get("arms").get("proxy").get("probes").get("proxy").get("knnAccuracy");
        assertThat(knn.get("values")).hasSize(3);
        assertThat(knn.get("mean").asDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(knn.get("std").asDouble()).isCloseTo(0.1, within(1e-12));
        assertThat(j.get("arms").get("proxy").get("probes").get("proxy").has("name")).isFalse();
        assertThat(j.get("arms").get("proxy-mm").has("probes")).isFalse();
        assertThat(j.get("arms").get("random").get("std").asDouble()).isEqualTo(0.0);

        String md = Files.readString(runs.resolve("ablation.md"));
        assertThat(md).contains("| proxy-mm − proxy | 3 | +2.67 |").contains("knnAccuracy")
                .contains("proxy better (interval above 0)");
        List<String> csv = Files.readAllLines(runs.resolve("ablation.csv"));
        assertThat(csv).anyMatch(l -> l.startsWith("run,proxy,,2,finished,probe.proxy.knnAccuracy,0.600000"));
        assertThat(csv).anyMatch(l -> l.startsWith("comparison,proxy-mm,proxy,,,mIoU difference,,3,0.026667"));
    }

    @Test
    void oneSeedHasNoIntervalAndAChangedConfigStopsTheAblation(@TempDir Path tmp) throws Exception {
        Path runs = tmp.resolve("runs");
        ExperimentConfig base = new ExperimentConfig();
        for (String arm : List.of("proxy", "proxy-mm", "proxy-mm-random", "random")) {
            finishedRun(Ablation.runDir(runs, 1, arm), 0.4, null);
        }
        Ablation.Result r = skipAll(base, runs, List.of(1L));
        Ablation.write(runs, r.rows(), "t", base);
        JsonNode j = JSON.readTree(runs.resolve("ablation.json").toFile());
        JsonNode c = j.get("comparisons").get(0);
        assertThat(c.get("ci95").isNull()).isTrue();
        assertThat(c.get("note").asText()).contains("one paired seed");
        assertThat(j.get("arms").get("proxy").get("std").isNull()).isTrue();
        assertThat(Files.readString(runs.resolve("ablation.md"))).contains("undefined (needs 2+ seeds)")
                .contains("40.0% (one seed)");

        ExperimentConfig saved = Ablation.arms(base, runs, 1, false).get(0);
        saved.finetune.iterations = 7;
        Files.writeString(Ablation.runDir(runs, 1, "proxy").resolve("config.json"), ExperimentConfigs.toJson(saved));
        Ablation.Result changed = skipAll(base, runs, List.of(1L));
        assertThat(changed.stopped()).startsWith("s1/proxy: its config.json differs from this ablation's "
                + "(finetune.iterations: 7 vs 100)");
        saved.finetune.iterations = base.finetune.iterations;
        saved.device = "cpu";
        Files.writeString(Ablation.runDir(runs, 1, "proxy").resolve("config.json"), ExperimentConfigs.toJson(saved));
        assertThat(skipAll(base, runs, List.of(1L)).stopped()).isNull();
    }
}
