package org.mmtune.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExperimentConfigTest {

    private static ConfigException reject(String json) {
        try {
            ExperimentConfigs.parse(json, "exp.json");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void unknownKeysAreRejectedByName() {
        assertThat(reject("{\"mm\": {\"margn\": 2.1}}").getMessage()).isEqualTo("exp.json: unknown key 'mm.margn'");
        assertThat(reject("{\"colour\": 1}").getMessage()).contains("unknown key 'colour'");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThat(reject("{\"mm\": {\"margin\": 0}}").getMessage()).contains("mm.margin");
        assertThat(reject("{\"mm\": {\"minSize\": 300, \"maxSize\": 256}}").getMessage()).contains("mm.minSize");
        assertThat(reject("{\"finetune\": {\"batchSize\": -2}}").getMessage()).contains("finetune.batchSize");
        assertThat(reject("{\"maxTrainImages\": -1}").getMessage()).contains("maxTrainImages");
        assertThat(reject("{\"mm\": {\"backgroundRatio\": 1.5}}").getMessage()).contains("mm.backgroundRatio");
        assertThat(reject("{\"mm\": {\"strategy\": \"nearest\"}}").getMessage()).contains("mm.strategy");
        assertThat(reject("{\"device\": \"tpu\"}").getMessage()).contains("device");
        assertThat(reject("{\"proxy\": {\"iterations\": \"many\"}}").getMessage()).contains("proxy.iterations");
        assertThat(reject("{\"backbone\": {\"type\": \"resnet\"}}").getMessage()).contains("backbone.type");
        assertThat(reject("{\"mm\": {\"margin\": 2.1}").getMessage()).contains("not valid JSON");
        assertThat(reject("{\"trainSplit\": \"\"}").getMessage()).contains("trainSplit");
    }

    @Test
    void presetsLoadAndRoundTrip() throws Exception {
        for (String p : ExperimentConfigs.PRESETS) {
            ExperimentConfig c = ExperimentConfigs.preset(p);
            assertThat(c.preset).isEqualTo(p);
            ExperimentConfig again = ExperimentConfigs.parse(ExperimentConfigs.toJson(c), "copy");
            assertThat(ExperimentConfigs.toJson(again)).isEqualTo(ExperimentConfigs.toJson(c));
        }
        assertThatThrownBy(() -> ExperimentConfigs.preset("huge")).hasMessageContaining("unknown");
    }

    @Test
    void armsShareTheProxyCheckpointAndTheFineTuningBudget() throws Exception {
        ExperimentConfig base = ExperimentConfigs.preset("camvid");
        var arms = Ablation.arms(base, java.nio.file.Path.of("/tmp/runs"), true);
        assertThat(arms).extracting(a -> a.arm).containsExactly("proxy", "proxy-mm", "random", "random-mm");
        assertThat(arms.get(1).initCheckpoint).endsWith("proxy/checkpoints/proxy.params");
        assertThat(arms).allSatisfy(a -> assertThat(a.finetune.iterations).isEqualTo(base.finetune.iterations));
        assertThat(arms.get(2).proxy.enabled || arms.get(2).mm.enabled).isFalse();
        assertThat(arms.get(2).initCheckpoint).isNull();
    }

    @Test
    void anImportedProxyReplacesTheProxyStage() throws Exception {
        ExperimentConfig base = ExperimentConfigs.preset("camvid");
        base.proxy.enabled = false;
        base.initCheckpoint = "/pretrain/alexnet-colorize.params";
        var arms = Ablation.arms(base, java.nio.file.Path.of("/tmp/runs"), true);
        assertThat(arms.get(0).proxy.enabled).isFalse();
        assertThat(arms.get(0).initCheckpoint).isEqualTo(base.initCheckpoint);
        assertThat(arms.get(1).initCheckpoint).isEqualTo(java.nio.file.Path.of(base.initCheckpoint).toAbsolutePath().toString());
        assertThat(arms.get(2).initCheckpoint).isNull();
        assertThat(arms.get(3).initCheckpoint).isNull();
    }
}
