package org.mmtune.mix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmtune.data.Sample;

class MixerTest {

    private static List<Sample> images(int n) {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(TestImages.scene("img" + i, 160 + 8 * (i % 5), 120, 5, i));
        }
        return s;
    }

    @Test
    void sameSeedSameBatchWhateverTheThreadCount() {
        List<Sample> imgs = images(12);
        int[] idx = new int[12];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = 100 + i;
        }
        MixConfig cfg = MixConfig.defaults().withSizes(32, 96).withOutSize(32).withSeed(7);
        Mixer mixer = new Mixer(new PatchSampler(cfg, 5, 0), Mixer.Crops.BOTH);
        MixedBatch one = mixer.mix(imgs, idx, 3, 1);
        MixedBatch two = mixer.mix(imgs, idx, 3, 2);
        MixedBatch four = mixer.mix(imgs, idx, 3, 4);
        MixedBatch again = new Mixer(new PatchSampler(cfg, 5, 0), Mixer.Crops.BOTH).mix(imgs, idx, 3, 3);
        assertThat(one.size()).isEqualTo(120);
        for (MixedBatch other : List.of(two, four, again)) {
            assertThat(other.patches()).isEqualTo(one.patches());
            assertThat(other.gray()).isDeepEqualTo(one.gray());
            assertThat(other.rgb()).isDeepEqualTo(one.rgb());
        }
        MixedBatch otherSeed = new Mixer(new PatchSampler(cfg.withSeed(8), 5, 0), Mixer.Crops.GRAY).mix(imgs, idx, 3, 2);
        assertThat(otherSeed.patches()).isNotEqualTo(one.patches());
        assertThat(otherSeed.rgb()).isNull();
    }

    @Test
    void aBatchPoolsThePatchesOfAllItsImages() {
        List<Sample> imgs = images(5);
        MixConfig cfg = MixConfig.defaults().withSizes(32, 64).withOutSize(16);
        MixedBatch b = new Mixer(new PatchSampler(cfg, 5, -1), Mixer.Crops.GRAY).mix(imgs, new int[] {0, 1, 2, 3, 4}, 0);
        assertThat(b.size()).isEqualTo(50);
        assertThat(b.patches().stream().map(Patch::imageId).distinct()).hasSize(5);
        assertThat(b.labels()).hasSize(50);
        assertThat(b.grayFloats()).hasSize(50 * 16 * 16);
        assertThat(b.gray()[0]).hasSize(256);
    }
}
