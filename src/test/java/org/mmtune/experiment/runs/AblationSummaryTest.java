package org.mmtune.experiment.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationSummaryTest {

    @TempDir
    Path dir;

    @Test
    void readsArmsComparisonsAndEachRunsProbes() throws Exception {
        Path run = Files.createDirectories(dir.resolve("s7").resolve("proxy-mm"));
        Files.writeString(run.resolve("results.json"), "{\"mIoU\":0.4,\"probes\":{\"initial\":{\"knnAccuracy\":0.1},"
                + "\"proxy\":{\"knnAccuracy\":0.3,\"linearProbeMIoU\":0.2},\"mm\":{\"knnAccuracy\":0.5}}}");
        Files.writeString(dir.resolve("ablation.json"), "{\"arms\":{\"proxy-mm\":{\"seeds\":[7,8],\"mIoU\":[0.4,null],"
                + "\"mean\":0.4,\"std\":null}},\"comparisons\":[{\"a\":\"proxy-mm\",\"b\":\"proxy\",\"pairedSeeds\":[7],"
                + "\"meanDiff\":0.01,\"ci95\":null}],\"extra\":1}");
        AblationSummary a = AblationSummary.read(dir).orElseThrow();
        assertThat(a.arms()).hasSize(1);
        AblationSummary.Arm arm = a.arms().get(0);
        assertThat(arm.runs()).extracting(AblationSummary.SeedRun::seed).containsExactly(7L, 8L);
        assertThat(arm.runs().get(1).mIoU()).isNaN();
        assertThat(arm.runs().get(0).dir()).isEqualTo(run);
        // the last checkpoint before fine-tuning: M&M's k-NN; no M&M linear probe recorded
        assertThat(arm.runs().get(0).probes()).containsEntry("knnAccuracy", 0.5).doesNotContainKey("linearProbeMIoU");
        assertThat(arm.probeMean("knnAccuracy")).hasValue(0.5);
        assertThat(arm.std()).isNaN();
        assertThat(a.comparisons().get(0).verdict()).isEqualTo("undefined");
    }

    @Test
    void noAblationJsonIsNoAblation() throws Exception {
        assertThat(AblationSummary.read(dir)).isEmpty();
        assertThat(AblationSummary.isAblationFolder(dir)).isFalse();
    }

    @Test
    void badFilesAreNamedInOneLine() throws Exception {
        Files.writeString(dir.resolve("ablation.json"), "{\"arms\":");
        assertThatThrownBy(() -> AblationSummary.read(dir)).isInstanceOf(RunFolderException.class)
                .hasMessageStartingWith(dir.resolve("ablation.json") + ": not readable as JSON");
        Files.writeString(dir.resolve("ablation.json"), "{\"arms\":{\"proxy\":{\"seeds\":[1,2],\"mIoU\":[0.3]}}}");
        assertThatThrownBy(() -> AblationSummary.read(dir)).isInstanceOf(RunFolderException.class)
                .hasMessage(dir.resolve("ablation.json") + ": arms.proxy: \"seeds\" and \"mIoU\" must be arrays of one length");
        Files.writeString(dir.resolve("ablation.json"), "[]");
        assertThatThrownBy(() -> AblationSummary.read(dir)).hasMessageContaining("key \"arms\" missing");
    }
}
