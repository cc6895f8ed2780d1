package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetValidatorTest {

    @TempDir
    Path dir;

    @Test
    void countsEveryKindOfProblemAndTheClassPixels() throws Exception {
        Fixtures.camvid(dir, 4, 12, 6);
        Files.write(dir.resolve("train/train1.png"), new byte[0]);                                // unreadable
        Fixtures.grayPng(dir.resolve("trainannot/train2.png"), 10, 6, (x, y) -> 0);              // size mismatch
        Fixtures.grayPng(dir.resolve("trainannot/train3.png"), 12, 6, (x, y) -> x < 2 ? 77 : 3); // out of range
        Fixtures.text(dir.resolve("val.txt"), "val/val0.png valannot/val0.png\nval/gone.png valannot/val1.png\n"
                + "../../x.png valannot/val1.png\n");
        SegmentationDataset ds = DatasetLoader.open(dir);
        DatasetReport r = DatasetValidator.validate(ds);

        DatasetReport.SplitReport train = r.splits().get("train");
        assertThat(train.images()).isEqualTo(2);
        assertThat(train.decoded()).isEqualTo(2);
        assertThat(train.sampled()).isFalse();
        assertThat(train.unreadable()).isEqualTo(1);
        assertThat(train.sizeMismatches()).isEqualTo(1);
        assertThat(train.outOfRangePixels()).isEqualTo(12);
        assertThat(train.outOfRangeValues()).containsEntry("77", 12L);
        assertThat(train.problemCount()).isEqualTo(3);
        assertThat(train.problems()).anyMatch(p -> p.contains("train1.png") && p.contains("empty file"))
                .anyMatch(p -> p.contains("train2.png") && p.contains("10x6"))
                .anyMatch(p -> p.contains("train3.png") && p.contains("outside the classes"));
        // class pixels: train0 is (x+y)%12 over 12x6, train3 has 60 pixels of class 3
        long pixels = train.classFrequencies().stream().mapToLong(DatasetReport.ClassFrequency::pixels).sum();
        assertThat(pixels + train.voidPixels()).isEqualTo(2 * 72);
        assertThat(train.classFrequencies().get(3).pixels()).isEqualTo(60 + 6);
        double total = train.classFrequencies().stream().mapToDouble(DatasetReport.ClassFrequency::fraction).sum();
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

        DatasetReport.SplitReport val = r.splits().get("val");
        assertThat(val.images()).isEqualTo(1);
        assertThat(val.missing()).isEqualTo(1);
        assertThat(val.refused()).isEqualTo(1);

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
        assertThat(json.get("format").asText()).isEqualTo("CAMVID");
        assertThat(json.get("classes").get(0).get("color").asText()).isEqualTo("#808080");
        assertThat(json.get("ignoreIndex").asInt()).isEqualTo(11);
        assertThat(json.get("backgroundIndex").asInt()).isEqualTo(-1);
        assertThat(json.get("splits").get("train").get("images").asInt()).isEqualTo(2);
        assertThat(json.get("splits").get("val").get("problems")).hasSize(2);
    }

    @Test
    void largeSplitsAreSampledButAllHeadersChecked() throws Exception {
        Fixtures.camvid(dir, 6, 8, 8);
        Fixtures.grayPng(dir.resolve("trainannot/train5.png"), 7, 8, (x, y) -> 0);
        byte[] png = Files.readAllBytes(dir.resolve("train/train3.png"));
        Files.write(dir.resolve("train/train3.png"), java.util.Arrays.copyOf(png, png.length - 20));
        SegmentationDataset ds = DatasetLoader.open(dir);
        DatasetReport r = DatasetValidator.validate(ds, 3);
        DatasetReport.SplitReport train = r.splits().get("train");
        assertThat(train.sampled()).isTrue();
        assertThat(train.decoded()).isEqualTo(3);
        assertThat(train.sizeMismatches()).isEqualTo(1);
        assertThat(train.unreadable()).isEqualTo(1);
        assertThat(train.problems()).anyMatch(p -> p.contains("train/train3.png") && p.contains("truncated"));
        assertThat(train.images()).isEqualTo(4);
    }
}
