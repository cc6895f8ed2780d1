package org.mmtune.ui.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleData;
import org.mmtune.data.SampleReader;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.mix.Patch;
import org.mmtune.train.PatchBatch;
import org.mmtune.train.PatchInfo;
import org.mmtune.ui.mix.MixResult;
import org.mmtune.ui.mix.MixViewModel;

/**
 * "Batch k of run R" in the Match view is the batch the run trained on at iteration k (same images,
 * patches and graph as the trainer's {@link MixMatchSource}), and the batch {@code mmtune match} gives with
 * the same dataset, split, settings, seed and batch index.
 */
class RunBatchTest {

    @TempDir
    Path dir;

    private Path run(String strategy, String dedupRule, String sizeMode, int maxTrainImages) throws Exception {
        ExperimentConfig c = new ExperimentConfig();
        c.dataset = SampleData.locate().orElseThrow().toString();
        c.seed = 11;
        c.maxTrainImages = maxTrainImages;
        c.mm.imagesPerBatch = 6;
        c.mm.patchesPerImage = 7;
        c.mm.minSize = 32;
        c.mm.maxSize = 120;
        c.mm.outSize = 68;
        c.mm.strategy = strategy;
        c.mm.dedupRule = dedupRule;
        c.mm.sizeMode = sizeMode;
        c.mm.minFraction = 0.2;
        c.mm.maxFraction = 0.6;
        Path runDir = dir.resolve("run-" + strategy + "-" + dedupRule + "-" + sizeMode + "-" + maxTrainImages);
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("config.json"), ExperimentConfigs.toJson(c));
        return runDir;
    }

    /** What the trainer's batch source yields for an iteration, on the images the runner loads. */
    private static MixMatchSource trainer(ExperimentConfig c, MixMatchSource.RunBatches rb) throws Exception {
        List<ImagePair> pairs = rb.dataset().pairs(c.trainSplit);
        if (c.maxTrainImages > 0) {
            pairs = pairs.subList(0, Math.min(pairs.size(), c.maxTrainImages));
        }
        List<Sample> train = new ArrayList<>();
        for (ImagePair p : pairs) {
            train.add(SampleReader.read(rb.dataset(), p));
        }
        return new MixMatchSource(c.mm, rb.dataset(), train, c.seed);
    }

    private static MatchResult shown(MixMatchSource.RunBatches rb, long k) throws Exception {
        MixResult m = MixViewModel.mix(rb.dataset(), rb.config().trainSplit, rb.images(), rb.service().config(), k, 0);
        return MatchViewModel.build(m, rb.service().strategy(), MatchViewModel.Layout.CLUSTERS, false,
                rb.config().mm.margin);
    }

    @Test
    void theViewShowsTheBatchTheRunTrainedOnAndTheCliAgrees() throws Exception {
        String[][] variants = {{"classwise", "reference", "absolute", "0"}, {"random", "own-area", "relative", "20"}};
        for (String[] v : variants) {
            Path runDir = run(v[0], v[1], v[2], Integer.parseInt(v[3]));
            MixMatchSource.RunBatches rb = MixMatchSource.ofRun(runDir, SampleReader::read, 2);
            ExperimentConfig c = rb.config();
            MixMatchSource trainer = trainer(c, rb);
            for (int k : new int[] {0, 3}) {
                PatchBatch t = trainer.next(k);
                MatchResult r = shown(rb, k);
                List<Patch> patches = r.mix().batch().patches();
                List<PatchInfo> info = new ArrayList<>();
                for (Patch p : patches) {
                    info.add(new PatchInfo(p.imageId(), p.cx(), p.cy(), p.size(), p.label()));
                }
                String what = String.join("/", v) + " batch " + k;
                assertThat(info).as(what + ": patches").isEqualTo(t.patches());
                assertThat(r.graph().labels()).as(what + ": labels").containsExactly(t.labels());
                assertThat(r.graph().triplets()).as(what + ": triplets").isDeepEqualTo(t.triplets());

                // mmtune match with the same arguments
                Path json = dir.resolve("match-" + String.join("-", v) + "-" + k + ".json");
                BadInput.Run cli = BadInput.run("match", c.dataset, "--split", c.trainSplit,
                        "--images", "" + c.mm.imagesPerBatch, "--patches-per-image", "" + c.mm.patchesPerImage,
                        "--min-size", "" + c.mm.minSize, "--max-size", "" + c.mm.maxSize, "--out-size", "" + c.mm.outSize,
                        "--dedup-rule", c.mm.dedupRule, "--size-mode", c.mm.sizeMode,
                        "--min-fraction", "" + c.mm.minFraction, "--max-fraction", "" + c.mm.maxFraction,
                        "--max-images", "" + c.maxTrainImages, "--strategy", c.mm.strategy,
                        "--seed", "" + c.seed, "--batch", "" + k, "--json", json.toString());
                assertThat(cli.code()).as(cli.err()).isZero();
                JsonNode j = new ObjectMapper().readTree(json.toFile());
                ObjectMapper om = new ObjectMapper();
                assertThat(om.treeToValue(j.get("triplets"), int[][].class)).as(what + ": cli triplets")
                        .isDeepEqualTo(t.triplets());
                assertThat(om.treeToValue(j.get("labels"), int[].class)).as(what + ": cli labels")
                        .containsExactly(t.labels());
                List<PatchInfo> cliPatches = new ArrayList<>();
                for (JsonNode p : j.get("patches")) {
                    cliPatches.add(new PatchInfo(p.get("image").asText(), p.get("cx").asInt(), p.get("cy").asInt(),
                            p.get("size").asInt(), p.get("label").asInt()));
                }
                assertThat(cliPatches).as(what + ": cli patches").isEqualTo(t.patches());
            }
            // another iteration is another batch
            assertThat(trainer.next(1).patches()).isNotEqualTo(trainer.next(0).patches());
        }
    }
}
