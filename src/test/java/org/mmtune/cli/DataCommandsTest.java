package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmtune.cli.BadInput.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput.Run;

class DataCommandsTest {

    @TempDir
    Path dir;

    @Test
    void synthThenInfoAsJson() throws Exception {
        Path out = dir.resolve("syn");
        Run s = run("synth", "--out", out.toString(), "--seed", "7", "--train", "3", "--val", "2", "--size", "96x64");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("3 train + 2 val");
        Run again = run("synth", "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip()).contains("not empty").doesNotContain("\n");

        Run info = run("info", out.toString(), "--json");
        assertThat(info.code()).as(info.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(info.out());
        assertThat(j.get("format").asText()).isEqualTo("DESCRIPTOR");
        assertThat(j.get("classes")).hasSize(7);
        assertThat(j.get("classes").get(1).get("name").asText()).isEqualTo("sky");
        assertThat(j.get("classes").get(1).get("color").asText()).startsWith("#");
        assertThat(j.get("ignoreIndex").asInt()).isEqualTo(255);
        assertThat(j.get("backgroundIndex").asInt()).isZero();
        assertThat(j.get("splits").get("train").get("images").asInt()).isEqualTo(3);
        assertThat(j.get("splits").get("val").get("problems").isArray()).isTrue();

        Run text = run("info", out.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("DESCRIPTOR").contains("sky").contains("problems    none");
    }

    @Test
    void infoOnVocAndCityscapesLayouts() throws Exception {
        Path voc = dir.resolve("voc/VOC2012");
        int[] palette = {0x000000, 0x800000, 0x008000};
        for (String id : new String[] {"a", "b", "c"}) {
            org.mmtune.data.Fixtures.rgbImage(voc.resolve("JPEGImages/" + id + ".jpg"), 20, 10);
            org.mmtune.data.Fixtures.palettePng(voc.resolve("SegmentationClass/" + id + ".png"), 20, 10, palette,
                    (x, y) -> x < 10 ? 0 : 2);
        }
        org.mmtune.data.Fixtures.text(voc.resolve("ImageSets/Segmentation/train.txt"), "a\nb\n");
        org.mmtune.data.Fixtures.text(voc.resolve("ImageSets/Segmentation/val.txt"), "c\n");
        Run v = run("info", dir.resolve("voc").toString(), "--json");
        assertThat(v.code()).as(v.err()).isZero();
        JsonNode jv = new ObjectMapper().readTree(v.out());
        assertThat(jv.get("format").asText()).isEqualTo("VOC");
        assertThat(jv.get("classes")).hasSize(21);
        assertThat(jv.get("splits").get("train").get("images").asInt()).isEqualTo(2);
        JsonNode freq = jv.get("splits").get("train").get("classFrequencies");
        assertThat(freq.get(2).get("fraction").asDouble()).isEqualTo(0.5);

        Path cs = dir.resolve("cs");
        org.mmtune.data.Fixtures.rgbImage(cs.resolve("leftImg8bit/val/ulm/ulm_000001_000019_leftImg8bit.png"), 16, 8);
        org.mmtune.data.Fixtures.grayPng(cs.resolve("gtFine/val/ulm/ulm_000001_000019_gtFine_labelIds.png"), 16, 8,
                (x, y) -> x < 8 ? 7 : 23);
        Run c = run("info", cs.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("CITYSCAPES").contains("road").contains("50.00%");
    }

    @Test
    void badDatasetsAreOneLineAndExitOne() throws Exception {
        Run missing = run("info", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).contains("nowhere").contains("no such folder").doesNotContain("\n");
        Files.createDirectories(dir.resolve("odd"));
        Run unknown = run("info", dir.resolve("odd").toString());
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).contains("no known dataset format").doesNotContain("\n");
        Run badSize = run("synth", "--out", dir.resolve("x").toString(), "--size", "big");
        assertThat(badSize.code()).isEqualTo(2);
    }
}
