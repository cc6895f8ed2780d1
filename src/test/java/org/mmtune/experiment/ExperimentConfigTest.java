package org.mmtune.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
        assertThat(reject("{\"mm\": {\"dedupRule\": \"first\"}}").getMessage())
                .contains("mm.dedupRule: 'first' is not one of reference, own-area");
        assertThat(reject("{\"mm\": {\"sizeMode\": \"scaled\"}}").getMessage()).contains("mm.sizeMode");
        assertThat(reject("{\"mm\": {\"minFraction\": 0}}").getMessage()).contains("mm.minFraction");
        assertThat(reject("{\"mm\": {\"minFraction\": 0.6, \"maxFraction\": 0.4}}").getMessage())
                .contains("mm.minFraction");
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
        var arms = Ablation.arms(base, java.nio.file.Path.of("runs"), 5, true);
        assertThat(arms).extracting(a -> a.arm)
                .containsExactly("proxy", "proxy-mm", "proxy-mm-random", "random", "random-mm");
        assertThat(arms.get(1).initCheckpoint).endsWith("s5/proxy/checkpoints/proxy.params");
        assertThat(arms.get(2).initCheckpoint).isEqualTo(arms.get(1).initCheckpoint);
        assertThat(arms).extracting(a -> a.mm.strategy).containsExactly("classwise", "classwise", "random",
                "classwise", "classwise");
        assertThat(arms).allSatisfy(a -> assertThat(a.finetune.iterations).isEqualTo(base.finetune.iterations));
        assertThat(arms).allSatisfy(a -> assertThat(a.seed).isEqualTo(5));
        assertThat(arms.get(3).proxy.enabled || arms.get(3).mm.enabled).isFalse();
        assertThat(arms.get(3).initCheckpoint).isNull();
        assertThat(Ablation.parseSeeds("3", 7)).containsExactly(7L, 8L, 9L);
        assertThat(Ablation.parseSeeds("1,5,2", 7)).containsExactly(1L, 5L, 2L);
        assertThat(Ablation.parseSeeds("4,", 7)).containsExactly(4L);
        assertThat(Ablation.parseSeeds(null, 7)).containsExactly(7L);
        assertThatThrownBy(() -> Ablation.parseSeeds("x", 1)).hasMessageStartingWith("--seeds:");
        assertThatThrownBy(() -> Ablation.parseSeeds("0", 1)).hasMessageStartingWith("--seeds:");
        assertThatThrownBy(() -> Ablation.parseSeeds("1,1", 1)).hasMessageContaining("twice");
    }

    @Test
    void thePairedIntervalIsStudentT() {
        // diffs 0.1, 0.3, 0.2: mean 0.2, s 0.1, t(0.975, 2) = 4.30265272975 -> half width 0.248414
        double[] ci = Ablation.ci95(java.util.List.of(0.1, 0.3, 0.2));
        assertThat(ci[0]).isCloseTo(0.2 - 4.30265272975 * 0.1 / Math.sqrt(3), within(1e-9));
        assertThat(ci[1]).isCloseTo(0.2 + 4.30265272975 * 0.1 / Math.sqrt(3), within(1e-9));
        assertThat(Ablation.ci95(java.util.List.of(0.1))).isNull();
        assertThat(Ablation.ci95(java.util.List.of())).isNull();
        var one = Ablation.stat(java.util.List.of(1L), java.util.List.of(0.4));
        assertThat(one.mean()).isEqualTo(0.4);
        assertThat(one.std()).isNull();
    }

    @Test
    void theLabelledSubsetIsFixedByLabelledSeedAndValidated() throws Exception {
        java.util.List<org.mmtune.data.Sample> train = org.mmtune.pipeline.TinyData.scenes(20, 16, 16, 1);
        ExperimentConfig c = new ExperimentConfig();
        c.labelledFraction = 0.25;
        c.seed = 1;
        var a = org.mmtune.experiment.LabelledSubset.choose(train, c);
        c.seed = 2;
        var b = org.mmtune.experiment.LabelledSubset.choose(train, c);
        assertThat(a.ids()).hasSize(5).isEqualTo(b.ids());
        assertThat(a.all()).isFalse();
        c.labelledSeed = 2;
        assertThat(org.mmtune.experiment.LabelledSubset.choose(train, c).ids()).isNotEqualTo(a.ids());
        c.labelledFraction = 1;
        c.labelledImages = 3;
        assertThat(org.mmtune.experiment.LabelledSubset.choose(train, c).ids()).hasSize(3);
        c.labelledImages = 0;
        assertThat(org.mmtune.experiment.LabelledSubset.choose(train, c).all()).isTrue();
        assertThatThrownBy(() -> ExperimentConfigs.parse("{\"labelledFraction\": 0}", "x.json"))
                .hasMessage("x.json: labelledFraction: 0.0 must be in (0, 1]");
        assertThatThrownBy(() -> ExperimentConfigs.parse("{\"labelledFraction\": 0.5, \"labelledImages\": 3}", "x.json"))
                .hasMessageStartingWith("x.json: labelledImages: 3 and labelledFraction 0.5 are both set");
        assertThatThrownBy(() -> ExperimentConfigs.parse("{\"labelledImages\": -1}", "x.json"))
                .hasMessage("x.json: labelledImages: -1 must not be negative");
    }

    @Test
    void anImportedProxyReplacesTheProxyStage() throws Exception {
        ExperimentConfig base = ExperimentConfigs.preset("camvid");
        base.proxy.enabled = false;
        base.initCheckpoint = "/pretrain/alexnet-colorize.params";
        var arms = Ablation.arms(base, java.nio.file.Path.of("/tmp/runs"), 3, true);
        assertThat(arms).extracting(a -> a.arm).containsExactly("proxy", "proxy-mm", "proxy-mm-random", "random",
                "random-mm");
        assertThat(arms.get(0).proxy.enabled).isFalse();
        String imported = java.nio.file.Path.of(base.initCheckpoint).toAbsolutePath().toString();
        assertThat(arms.get(0).initCheckpoint).isEqualTo(imported);
        assertThat(arms.get(1).initCheckpoint).isEqualTo(imported);
        assertThat(arms.get(2).initCheckpoint).isEqualTo(imported);
        assertThat(arms.get(3).initCheckpoint).isNull();
        assertThat(arms.get(4).initCheckpoint).isNull();
    }
}
