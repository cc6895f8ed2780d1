package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;

/**
 * The reference geometry trains like the others: the imported Caffe fixture initialises an alexnet-ref run on
 * sample-data (M&amp;M, then FCN fine-tuning and evaluation), through {@code mmtune train}.
 */
class AlexNetRefTrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anImportedReferenceModelInitialisesAShortRunOnSampleData(@TempDir Path tmp) throws Exception {
        Path init = tmp.resolve("ref16.params");
        BadInput.Run imp = BadInput.run("weights", "import", RefReadersTest.DIR.resolve("ref16.caffemodel").toString(),
                "--backbone", "alexnet-ref", "--width-divisor", "16", "--out", init.toString());
        assertThat(imp.code()).as(imp.err()).isZero();

        ExperimentConfig c = new ExperimentConfig();
        c.name = "alexnet-ref";
        c.dataset = Path.of("sample-data").toAbsolutePath().toString();
        c.device = "cpu";
        c.seed = 5;
        c.backbone.type = "alexnet-ref";
        c.backbone.widthDivisor = 16;
        c.initCheckpoint = init.toString();
        c.maxTrainImages = 6;
        c.maxValImages = 2;
        c.proxy.enabled = false;
        c.mm.iterations = 4;
        c.mm.outSize = 64;
        c.mm.imagesPerBatch = 3;
        c.mm.patchesPerImage = 6;
        c.mm.minSize = 32;
        c.mm.maxSize = 64;
        c.mm.embeddingsEvery = 0;
        c.mm.checkpointEvery = 0;
        c.finetune.iterations = 4;
        c.finetune.batchSize = 2;
        c.finetune.cropSize = 96;
        c.finetune.evalEvery = 0;
        c.finetune.checkpointEvery = 0;
        assertThat(c.problems()).isEmpty();
        Path cfg = Files.writeString(tmp.resolve("cfg.json"), ExperimentConfigs.toJson(c));
        Path run = tmp.resolve("run");

        BadInput.Run r = BadInput.run("train", "--config", cfg.toString(), "--run-dir", run.toString(), "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(run.resolve("status.json").toFile()).get("state").asText()).isEqualTo("finished");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(4 + 4);
        for (String line : metrics) {
            assertThat(JSON.readTree(line).get("loss").asDouble()).isFinite();
        }
        JsonNode res = JSON.readTree(run.resolve("results.json").toFile());
        assertThat(res.get("mIoU").asDouble()).isBetween(0.0, 1.0);
        assertThat(Files.readString(run.resolve("run.log"))).contains("alexnet-ref");
    }
}
