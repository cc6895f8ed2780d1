package org.mmtune.mix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MixConfigTest {

    @Test
    void defaultsAreThePapersAlexNetSetting() {
        MixConfig c = MixConfig.defaults();
        assertThat(c.imagesPerBatch()).isEqualTo(40);
        assertThat(c.patchesPerImage()).isEqualTo(10);
        assertThat(c.minSize()).isEqualTo(64);
        assertThat(c.maxSize()).isEqualTo(256);
        assertThat(c.outSize()).isEqualTo(128);
        assertThat(c.backgroundRatio()).isEqualTo(0.1);
        assertThat(c.dedupThreshold()).isEqualTo(0.6);
        assertThat(c.candidateFactor()).isEqualTo(5);
        assertThat(c.labelMode()).isEqualTo(LabelMode.CENTER);
        assertThat(c.rankByPurity()).isFalse();
        assertThat(c.problems()).isEmpty();
        assertThat(c.backgroundQuota()).isEqualTo(1);
    }

    @Test
    void badValuesAreNamedByKey() {
        assertThatThrownBy(() -> MixConfig.defaults().withSizes(300, 256).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minSize (300) is larger than maxSize (256)");
        assertThatThrownBy(() -> MixConfig.defaults().withPatchesPerImage(-1).validate())
                .hasMessageContaining("patchesPerImage");
        assertThatThrownBy(() -> MixConfig.defaults().withImagesPerBatch(0).validate())
                .hasMessageContaining("imagesPerBatch");
        assertThatThrownBy(() -> MixConfig.defaults().withBackgroundRatio(1.5).validate())
                .hasMessageContaining("backgroundRatio must be between 0 and 1 (got 1.5)");
        assertThatThrownBy(() -> MixConfig.defaults().withDedupThreshold(-0.1).validate())
                .hasMessageContaining("dedupThreshold");
        assertThatThrownBy(() -> MixConfig.defaults().withDedupThreshold(Double.NaN).validate())
                .hasMessageContaining("dedupThreshold");
        assertThatThrownBy(() -> MixConfig.defaults().withSizes(65, 65).validate())
                .hasMessageContaining("no even side");
        assertThatThrownBy(() -> MixConfig.defaults().withOutSize(0).validate())
                .hasMessageContaining("outSize");
        assertThatThrownBy(() -> MixConfig.defaults().withCandidateFactor(0).validate())
                .hasMessageContaining("candidateFactor");
        // several problems are all listed, on one line
        String msg = MixConfig.defaults().withSizes(-4, -8).withBackgroundRatio(2).problems().toString();
        assertThat(msg).contains("minSize").contains("maxSize").contains("backgroundRatio");
    }

    @Test
    void evenSideRangeAndQuota() {
        MixConfig c = MixConfig.defaults().withSizes(63, 129);
        assertThat(c.evenMin()).isEqualTo(64);
        assertThat(c.evenMax()).isEqualTo(128);
        assertThat(c.withBackgroundRatio(0).backgroundQuota()).isZero();
        assertThat(c.withBackgroundRatio(0.01).backgroundQuota()).isEqualTo(1);
        assertThat(c.withBackgroundRatio(0.34).backgroundQuota()).isEqualTo(3);
        assertThat(c.withBackgroundRatio(1).backgroundQuota()).isEqualTo(10);
    }
}
