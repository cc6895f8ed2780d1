package org.mmtune.experiment.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-folder readers against folders written here as fixtures (the pipeline writes the real ones). */
class RunFollowingTest {

    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void tailerReturnsOnlyCompleteLinesAndSkipsBadOnes() throws Exception {
        Path run = Files.createDirectories(dir.resolve("r"));
        Path m = run.resolve("metrics.jsonl");
        MetricsTailer t = new MetricsTailer(run);
        assertThat(t.poll()).isEmpty();
        append(m, "{\"stage\":\"mm\",\"iteration\":1,\"totalIterations\":4,\"loss\":1.5,\"violatedFraction\":0.7,\"time\":1700000000}\n"
                + "{\"stage\":\"mm\",\"iteration\":2,\"tota");
        List<MetricPoint> first = t.poll();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).loss()).isEqualTo(1.5);
        assertThat(first.get(0).violatedFraction()).isEqualTo(0.7);
        assertThat(first.get(0).stageProgress()).isEqualTo(0.25);
        append(m, "lIterations\":4,\"loss\":1.2}\nnot json\n{\"no\":\"stage\"}\n");
        List<MetricPoint> second = t.poll();
        assertThat(second).extracting(MetricPoint::iteration).containsExactly(2);
        assertThat(second.get(0).loss()).isEqualTo(1.2);
        assertThat(t.skippedLines()).isEqualTo(2);
        // rewritten from scratch: the tailer starts over and says so
        Files.writeString(m, "{\"stage\":\"proxy\",\"iteration\":1}\n");
        assertThat(t.poll()).extracting(MetricPoint::stage).containsExactly("proxy");
        assertThat(t.wasReset()).isTrue();
    }

    @Test
    void logTailStartsNearTheEndOfABigLog() throws Exception {
        Path log = dir.resolve("run.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(log, sb);
        LineTailer t = new LineTailer(log, 100);
        List<String> lines = t.poll();
        assertThat(lines).isNotEmpty().hasSizeLessThan(15).last().isEqualTo("line 999");
        assertThat(lines.get(0)).startsWith("line ");
        append(log, "more\n");
        assertThat(t.poll()).containsExactly("more");
    }

    @Test
    void statusOfADeadProcessIsStalled() throws Exception {
        Path run = Files.createDirectories(dir.resolve("r"));
        Files.writeString(run.resolve("status.json"), "{\"state\":\"running\",\"stage\":\"mm\",\"pid\":"
                + ProcessHandle.current().pid() + ",\"startedAt\":\"2026-01-01T10:00:00Z\",\"updatedAt\":1767261700}");
        RunStatus s = RunStatus.read(run).orElseThrow();
        assertThat(s.state()).isEqualTo(RunState.RUNNING);
        assertThat(s.stage()).isEqualTo("mm");
        assertThat(s.startedAt()).hasToString("2026-01-01T10:00:00Z");
        assertThat(s.updatedAt().getEpochSecond()).isEqualTo(1767261700L);
        Files.writeString(run.resolve("status.json"), "{\"state\":\"running\",\"pid\":999999999}");
        assertThat(RunStatus.read(run).orElseThrow().state()).isEqualTo(RunState.STALLED);
        Files.writeString(run.resolve("status.json"), "{broken");
        assertThat(RunStatus.read(run)).isEmpty();
    }

    @Test
    void catalogListsTheRunsOfAnAblationOverSeeds() throws Exception {
        for (String seed : List.of("s1", "s2")) {
            Path r = Files.createDirectories(dir.resolve("abl/" + seed + "/random"));
            Files.writeString(r.resolve("status.json"), "{\"state\":\"finished\",\"startedAt\":\"2026-01-01T10:00:00Z\"}");
        }
        Files.createDirectories(dir.resolve("abl/notes/random"));
        assertThat(RunCatalog.list(dir)).extracting(RunSummary::dir)
                .containsExactlyInAnyOrder(dir.resolve("abl/s1/random"), dir.resolve("abl/s2/random"));
    }

    @Test
    void catalogListsRunsWithResultsAndDeletesOnlyStoppedRuns() throws Exception {
        Path a = Files.createDirectories(dir.resolve("ablation/proxy-mm"));
        Files.writeString(a.resolve("config.json"), "{\"preset\":\"camvid\",\"dataset\":\"/data/camvid\"}");
        Files.writeString(a.resolve("status.json"), "{\"state\":\"finished\",\"stage\":\"eval\","
                + "\"startedAt\":\"2026-01-01T10:00:00Z\",\"updatedAt\":\"2026-01-01T10:30:00Z\"}");
        Files.writeString(a.resolve("results.json"), "{\"mIoU\":0.41,\"pixelAccuracy\":0.8,"
                + "\"perClass\":[{\"index\":0,\"name\":\"sky\",\"iou\":0.9},{\"index\":1,\"name\":\"road\",\"iou\":null}],"
                + "\"confusion\":[[9,1],[2,8]]}");
        Path b = Files.createDirectories(dir.resolve("quick-1"));
        Files.writeString(b.resolve("status.json"), "{\"state\":\"running\",\"pid\":" + ProcessHandle.current().pid()
                + ",\"startedAt\":\"2026-01-02T10:00:00Z\"}");
        Files.createDirectories(dir.resolve("not-a-run"));

        List<RunSummary> runs = RunCatalog.list(dir);
        assertThat(runs).extracting(RunSummary::name).containsExactly("quick-1", "ablation/proxy-mm");
        RunSummary pm = runs.get(1);
        assertThat(pm.state()).isEqualTo(RunState.FINISHED);
        assertThat(pm.preset()).isEqualTo("camvid");
        assertThat(pm.arm()).isEqualTo("proxy-mm");
        assertThat(pm.duration().toMinutes()).isEqualTo(30);
        assertThat(pm.mIoU()).isEqualTo(0.41);
        assertThat(pm.dataset()).isEqualTo(Path.of("/data/camvid"));

        RunResults r = RunResults.read(a).orElseThrow();
        assertThat(r.perClass()).hasSize(2);
        assertThat(r.perClass().get(1).iou()).isNaN();
        assertThat(r.confusion()[1]).containsExactly(2, 8);

        assertThatThrownBy(() -> RunCatalog.delete(b)).hasMessageContaining("still running");
        assertThatThrownBy(() -> RunCatalog.delete(dir.resolve("not-a-run"))).hasMessageContaining("not a run folder");
        RunCatalog.delete(a);
        assertThat(a).doesNotExist();

        Files.writeString(b.resolve("results.json"), "{\"pixelAccuracy\":0.8}");
        assertThat(RunSummary.read(b).problem()).contains("results.json").contains("mIoU");
    }

    @Test
    void followerReportsNewMetricsLogLinesAndTheNewestEmbedding() throws Exception {
        Path run = Files.createDirectories(dir.resolve("r"));
        RunFollower f = new RunFollower(run);
        RunFollower.Update u0 = f.poll();
        assertThat(u0.status()).isEmpty();
        assertThat(u0.metrics()).isEmpty();
        append(run.resolve("metrics.jsonl"), "{\"stage\":\"mm\",\"iteration\":5,\"totalIterations\":10,\"loss\":0.9}\n");
        append(run.resolve("run.log"), "started\n");
        Path emb = Files.createDirectories(run.resolve("embeddings"));
        Files.writeString(emb.resolve("mm-000005.json"), "{\"iteration\":5,\"labels\":[0,1],\"points\":[[0.1,0.2],[-1,2]],"
                + "\"patches\":[{\"image\":\"img1\",\"cx\":10,\"cy\":12,\"size\":64,\"label\":0},"
                + "{\"image\":\"img2\",\"cx\":30,\"cy\":40,\"size\":96,\"label\":1}]}");
        Files.writeString(emb.resolve("mm-000010.json"), "{\"iteration\":10,\"labels\":[1],\"points\":[[3,4]],\"patches\":[]}");
        RunFollower.Update u1 = f.poll();
        assertThat(u1.metrics()).hasSize(1);
        assertThat(u1.logLines()).containsExactly("started");
        assertThat(u1.embeddingFile()).contains(emb.resolve("mm-000010.json"));
        assertThat(f.poll().embeddingFile()).isEmpty();

        EmbeddingSnapshot s = EmbeddingSnapshot.read(emb.resolve("mm-000005.json"));
        assertThat(s.iteration()).isEqualTo(5);
        assertThat(s.labels()).containsExactly(0, 1);
        assertThat(s.points()[1]).containsExactly(-1, 2);
        assertThat(s.patches().get(1)).isEqualTo(new EmbeddingSnapshot.PatchRef("img2", 30, 40, 96, 1));
        Files.writeString(emb.resolve("mm-000015.json"), "{\"labels\":[1,2],\"points\":[[3,4]]}");
        assertThatThrownBy(() -> EmbeddingSnapshot.read(emb.resolve("mm-000015.json")))
                .hasMessageContaining("mm-000015.json").hasMessageContaining("same length");
    }

    @Test
    void paletteLabelsAndPerImageIoU() throws Exception {
        byte[] r = {0, (byte) 255, 0, 0};
        byte[] g = {0, 0, (byte) 255, 0};
        byte[] b = {0, 0, 0, (byte) 255};
        IndexColorModel cm = new IndexColorModel(8, 4, r, g, b);
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_INDEXED, cm);
        int[] px = {0, 0, 1, 1, 2, 2, 3, 1};
        img.getRaster().setPixels(0, 0, 4, 2, px);
        Path png = dir.resolve("p.png");
        ImageIO.write(img, "png", png.toFile());
        LabelPng.Labels l = LabelPng.read(png);
        assertThat(l.width()).isEqualTo(4);
        assertThat(l.at(3, 1)).isEqualTo(1);

        byte[] truth = {0, 0, 1, 1, 2, 2, (byte) 255, 1};
        // class 0: I=2 U=2; class 1: I=3 U=3 (pixel 7 pred 1, truth 1); class 2: I=2 U=2; class 3 only at void
        assertThat(MaskStats.imageMeanIoU(truth, l.values(), 4, 255)).isEqualTo(1.0);
        byte[] pred = {0, 1, 1, 1, 2, 0, 3, 1};
        // c0: I=1 U=3 ; c1: I=3 U=4 ; c2: I=1 U=2
        assertThat(MaskStats.imageMeanIoU(truth, pred, 4, 255)).isCloseTo((1 / 3.0 + 3 / 4.0 + 1 / 2.0) / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MaskStats.errorFraction(truth, pred, 255)).isCloseTo(2 / 7.0, org.assertj.core.data.Offset.offset(1e-12));
        Files.writeString(dir.resolve("bad.png"), "nope");
        assertThatThrownBy(() -> LabelPng.read(dir.resolve("bad.png"))).hasMessageContaining("bad.png");
    }
}
