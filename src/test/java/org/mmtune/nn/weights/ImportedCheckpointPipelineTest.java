package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;

/** An imported checkpoint initialises a run (M&M, fine-tuning) on the sample data, and eval scores the run. */
class ImportedCheckpointPipelineTest {

    @Test
    void aRunInitialisedFromAnImportedCheckpointTrainsAndEvaluates(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("alexnet-import.params");
        BadInput.Run imp = BadInput.run("weights", "import", WeightReadersTest.DIR.resolve("alexnet.pth").toString(),
                "--backbone", "alexnet", "--width-divisor", "16", "--out", ckpt.toString());
        assertThat(imp.code()).as(imp.err()).isZero();

        ExperimentConfig c = new ExperimentConfig();
        c.name = "from-import";
        c.dataset = "sample-data";
        c.device = "cpu";
        c.seed = 5;
        c.maxTrainImages = 6;
        c.maxValImages = 2;
        c.backbone.widthDivisor = 16;
        c.initCheckpoint = ckpt.toString();
        c.proxy.enabled = false;
        c.mm.iterations = 2;
        c.mm.outSize = 72;
        c.mm.imagesPerBatch = 4;
        c.mm.patchesPerImage = 4;
        c.mm.minSize = 32;
        c.mm.maxSize = 64;
        c.mm.embeddingsEvery = 0;
        c.mm.checkpointEvery = 0;
        c.finetune.iterations = 2;
        c.finetune.batchSize = 2;
        c.finetune.cropSize = 96;
        c.finetune.evalEvery = 0;
        c.finetune.checkpointEvery = 0;
        c.eval.savePredictions = false;
        Path cfg = Files.writeString(tmp.resolve("exp.json"), ExperimentConfigs.toJson(c));
        Path run = tmp.resolve("run");
        BadInput.Run train = BadInput.run("train", "--config", cfg.toString(), "--run-dir", run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(Files.readString(run.resolve("run.log"))).contains(ckpt.getFileName().toString());

        Path metrics = tmp.resolve("eval.json");
        BadInput.Run eval = BadInput.run("eval", "--run", run.toString(), "--device", "cpu", "--json", metrics.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(metrics.toFile());
        assertThat(m.toString()).contains("mIoU");
        assertThat(m.findValue("mIoU").asDouble()).isBetween(0.0, 1.0);
    }
}
