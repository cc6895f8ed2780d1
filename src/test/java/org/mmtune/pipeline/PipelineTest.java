package org.mmtune.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.RunOutcome;
import org.mmtune.train.CancellationToken;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.Stage;
import org.mmtune.train.TrainingListener;

/** The whole pipeline on tiny generated scenes with a tiny network: losses fall, runs resume. */
class PipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ExperimentConfig tinyConfig() {
        ExperimentConfig c = new ExperimentConfig();
        c.name = "tiny";
        c.dataset = "tiny";
        c.device = "cpu";
        c.seed = 3;
        c.backbone.widthDivisor = 16;
        c.proxy.iterations = 30;
        c.proxy.batchSize = 4;
        c.proxy.cropSize = 96;
        c.proxy.learningRate = 0.01f;
        c.proxy.checkpointEvery = 0;
        c.mm.iterations = 30;
        c.mm.outSize = 72;
        c.mm.imagesPerBatch = 5;
        c.mm.patchesPerImage = 6;
        c.mm.minSize = 32;
        c.mm.maxSize = 64;
        c.mm.embeddingsEvery = 10;
        c.mm.checkpointEvery = 0;
        c.finetune.iterations = 40;
        c.finetune.batchSize = 4;
        c.finetune.cropSize = 96;
        c.finetune.learningRate = 0.01f;
        c.finetune.evalEvery = 20;
        c.finetune.checkpointEvery = 10;
        c.eval.saveOverlays = true;
        return c;
    }

    @Test
    void everyStageLowersItsLossAndTheRunFolderFollowsTheContract(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(8, 3, 96, 96);
        TinyData.Recorder rec = new TinyData.Recorder();
        Path run = tmp.resolve("run");
        RunOutcome out = new ExperimentRunner(tinyConfig(), run, false, new CancellationToken(), List.of(rec), fx,
                org.mmtune.experiment.MixMatchSource.factory()).run();
        assertThat(out.state()).as(out.message()).isEqualTo("finished");
        for (Stage s : List.of(Stage.PROXY, Stage.MM, Stage.FINETUNE)) {
            List<Double> l = rec.losses.get(s);
            int n = l.size();
            assertThat(TinyData.mean(l, n - 5, n)).as(s + " loss: " + l).isLessThan(TinyData.mean(l, 0, 5));
        }
        // run folder contract
        JsonNode status = JSON.readTree(run.resolve("status.json").toFile());
        assertThat(status.get("state").asText()).isEqualTo("finished");
        assertThat(status.get("stage").asText()).isEqualTo("eval");
        assertThat(status.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(30 + 30 + 40);
        JsonNode mm = JSON.readTree(lines.get(35));
        assertThat(mm.get("stage").asText()).isEqualTo("mm");
        assertThat(mm.get("violatedFraction").asDouble()).isBetween(0.0, 1.0);
        assertThat(lines.stream().filter(s -> s.contains("valMIoU")).count()).isEqualTo(2);
        JsonNode emb = JSON.readTree(run.resolve("embeddings/mm-000010.json").toFile());
        assertThat(emb.get("points").size()).isEqualTo(emb.get("labels").size()).isGreaterThan(10);
        assertThat(emb.get("patches").get(0).get("image").asText()).startsWith("t");
        JsonNode res = JSON.readTree(run.resolve("results.json").toFile());
        assertThat(res.get("mIoU").asDouble()).isBetween(0.0, 1.0);
        assertThat(res.get("perClass")).hasSize(3);
        assertThat(res.get("confusion")).hasSize(3);
        assertThat(run.resolve("predictions/v0.png")).exists();
        assertThat(run.resolve("overlays/v0.png")).exists();
        assertThat(run.resolve("checkpoints/finetune.params")).exists();
        assertThat(run.resolve("run.log")).exists();
        JsonNode cfg = JSON.readTree(run.resolve("config.json").toFile());
        assertThat(cfg.get("arm").asText()).isEqualTo("proxy-mm");
    }

    @Test
    void aCancelledRunResumesWhereItStopped(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(6, 2, 96, 96);
        ExperimentConfig c = tinyConfig();
        c.proxy.enabled = false;
        c.mm.enabled = false;
        c.finetune.evalEvery = 0;
        c.finetune.iterations = 20;
        CancellationToken cancel = new CancellationToken();
        TrainingListener stopAt7 = new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 7) {
                    cancel.cancel();
                }
            }
        };
        Path run = tmp.resolve("run");
        RunOutcome first = new ExperimentRunner(c, run, false, cancel, List.of(stopAt7), fx, null).run();
        assertThat(first.state()).as(first.message()).isEqualTo("cancelled");
        assertThat(JSON.readTree(run.resolve("status.json").toFile()).get("state").asText()).isEqualTo("cancelled");
        assertThat(JSON.readTree(run.resolve("checkpoints/finetune.json").toFile()).get("iteration").asInt())
                .isEqualTo(7);

        TinyData.Recorder rec = new TinyData.Recorder();
        RunOutcome second = new ExperimentRunner(c, run, true, new CancellationToken(), List.of(rec), fx, null).run();
        assertThat(second.state()).as(second.message()).isEqualTo("finished");
        assertThat(rec.all.get(0).iteration()).isEqualTo(8);
        assertThat(rec.all.get(rec.all.size() - 1).iteration()).isEqualTo(20);
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(20);
        assertThat(run.resolve("results.json")).exists();
    }

    @Test
    void aRunTrainsDataParallelOnTwoCpuReplicas(@TempDir Path tmp) throws Exception {
        TinyData.Fixture fx = new TinyData.Fixture(6, 2, 96, 96);
        ExperimentConfig c = tinyConfig();
        c.proxy.iterations = 3;
        c.mm.iterations = 4;
        c.mm.embeddingsEvery = 0;
        c.finetune.iterations = 4;
        c.finetune.evalEvery = 0;
        c.finetune.checkpointEvery = 0;
        c.eval.saveOverlays = false;
        TinyData.Recorder rec = new TinyData.Recorder();
        Path run = tmp.resolve("run");
        RunOutcome out = new ExperimentRunner(c, run, false, new CancellationToken(), List.of(rec), fx,
                org.mmtune.experiment.MixMatchSource.factory()).devices(null, 2).run();
        assertThat(out.state()).as(out.message()).isEqualTo("finished");
        assertThat(Files.readString(run.resolve("run.log"))).contains("data-parallel, 2 replicas");
        assertThat(rec.all).hasSize(3 + 4 + 4).allSatisfy(m -> assertThat(m.loss()).isFinite());
        assertThat(run.resolve("results.json")).exists();
    }

    @Test
    void aSecondWriterIsRefused(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        try (var first = org.mmtune.experiment.RunFolder.open(run, false)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.mmtune.experiment.RunFolder.open(run, false)
                    .close()).hasMessageContaining("in use");
        }
    }
}
