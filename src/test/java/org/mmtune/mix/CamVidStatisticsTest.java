package org.mmtune.mix;

import org.mmtune.match.MixCheck;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleReader;
import org.mmtune.data.SegmentationDataset;

/**
 * The sampler's statistics on real CamVid images match the algorithm's definition. Skipped when
 * ../shared/datasets/camvid is absent (nothing of CamVid is in the repository). The whole split is
 * checked by {@code mmtune bench mix}.
 */
class CamVidStatisticsTest {

    @Test
    void patchesOnCamVidFollowTheDefinition() throws Exception {
        Path root = Path.of("..", "shared", "datasets", "camvid");
        Assumptions.assumeTrue(Files.isDirectory(root), "CamVid not present at " + root.toAbsolutePath());
        SegmentationDataset ds = DatasetLoader.open(root);
        List<ImagePair> pairs = ds.pairs("train");
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < pairs.size() && samples.size() < 40; i += 9) {
            samples.add(SampleReader.read(ds, pairs.get(i)));
        }
        PatchSampler sampler = PatchSampler.forDataset(MixConfig.defaults(), ds);
        assertThat(sampler.backgroundIndex()).isEqualTo(-1); // CamVid: no background class, no quota
        MixCheck.Result c = MixCheck.run(sampler, samples, 10);
        assertThat(c.patches()).isEqualTo(400);
        assertThat(c.voidCentres()).isZero();
        assertThat(c.badSizes()).isZero();
        assertThat(c.labelMismatches()).isZero();
        assertThat(c.purityMismatches()).isZero();
        assertThat(c.disconnectedClasses()).isZero();
        assertThat(c.nodesWithoutTriplet()).isZero();
        // the reference de-duplication rule keeps smaller patches than the uniform mean of 160 (about 142 on the split)
        assertThat(c.meanSize()).isBetween(130.0, 155.0);
        assertThat(c.totalVariation()).isLessThanOrEqualTo(c.tvLimit());
        assertThat(c.passed()).isTrue();
    }
}
