package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmtune.cli.BadInput.assertNoTrace;
import static org.mmtune.cli.BadInput.assertOneLine;
import static org.mmtune.cli.BadInput.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput.Run;
import org.mmtune.data.Fixtures;
import org.mmtune.data.Palette;

/** {@code mmtune info} on ADE20K's SceneParsing folder, a names-only dataset.json and MMSeg's layout. */
class DatasetFormatsCliTest {

    @TempDir
    Path dir;

    private static void adePair(Path root, String folder, String stem, int value) {
        Fixtures.rgbImage(root.resolve("images/" + folder + "/" + stem + ".jpg"), 12, 8);
        Fixtures.grayPng(root.resolve("annotations/" + folder + "/" + stem + ".png"), 12, 8,
                (x, y) -> x < 4 ? 0 : x < 8 ? 3 : value);
    }

    @Test
    void infoOnAnAde20kSceneParsingFolder() throws Exception {
        Path root = dir.resolve("ADEChallengeData2016");
        adePair(root, "training", "ADE_train_00000001", 1);
        adePair(root, "training", "ADE_train_00000002", 1);
        adePair(root, "validation", "ADE_val_00000001", 150);
        Run r = run("info", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("format      ADE20K (labels: index; 0 = void, k = class k-1)")
                .contains("classes     150, void = 255, background = none")
                .containsPattern("train\\s+2 ")
                .containsPattern("val\\s+1 ")
                .containsPattern("  0 wall\\s+#f3c300\\s+50\\.00%\\s+0\\.00%")
                .containsPattern("  2 sky\\s+#\\w{6}\\s+50\\.00%\\s+50\\.00%")
                .containsPattern("149 flag\\s+#\\w{6}\\s+0\\.00%\\s+50\\.00%")
                .contains("problems    none");
        assertNoTrace(r.out() + r.err());

        Run j = run("info", root.toString(), "--json");
        assertThat(j.code()).as(j.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(j.out());
        assertThat(json.get("format").asText()).isEqualTo("ADE20K");
        assertThat(json.get("labelValues").asText()).isEqualTo("0 = void, k = class k-1");
        assertThat(json.get("classes")).hasSize(150);
        assertThat(json.get("classes").get(1).get("name").asText()).isEqualTo("building");
    }

    @Test
    void ade20kBadInputIsCountedAndNamed() throws Exception {
        Path root = dir.resolve("ADEChallengeData2016");
        adePair(root, "training", "ok", 1);
        adePair(root, "training", "high", 200);
        Fixtures.rgbImage(root.resolve("images/training/nolabel.jpg"), 12, 8);
        Files.createDirectories(root.resolve("images/validation"));
        Files.createDirectories(root.resolve("annotations/validation"));
        Run r = run("info", root.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("train\\s+2\\s+2\\s+1\\s+0\\s+0\\s+0\\s+32")
                .containsPattern("val\\s+0 ")
                .contains("train: images/training/nolabel.jpg: no label named nolabel.* in annotations/training")
                .contains("high.png")
                .contains("200");
        assertOneLine(run("mix", root.toString(), "--split", "val", "--images", "1"), 1,
                "split 'val' has no image/label pairs");

        Path empty = dir.resolve("empty/ADEChallengeData2016");
        Files.createDirectories(empty.resolve("images/training"));
        Files.createDirectories(empty.resolve("annotations/training"));
        assertOneLine(run("info", empty.toString()), 1, "ADE20K layout but no image/label pairs found");
    }

    @Test
    void infoOnANamesOnlyDatasetJson() throws Exception {
        for (String s : new String[] {"a", "b"}) {
            Fixtures.rgbImage(dir.resolve("images/" + s + ".png"), 10, 6);
            Fixtures.grayPng(dir.resolve("labels/" + s + ".png"), 10, 6, (x, y) -> x < 5 ? 0 : 1);
        }
        Fixtures.text(dir.resolve("dataset.json"), """
                {"name": "names-only", "classes": [{"name": "ground"}, {"name": "weed"}],
                 "splits": {"train": {"images": "images", "labels": "labels"}}}""");
        Run r = run("info", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dataset     names-only")
                .containsPattern("  0 ground\\s+" + String.format("#%06x", Palette.color(0)) + "\\s+50\\.00%")
                .containsPattern("  1 weed\\s+" + String.format("#%06x", Palette.color(1)) + "\\s+50\\.00%")
                .contains("problems    none");

        Fixtures.text(dir.resolve("names.txt"), "ground\nweed\n");
        Fixtures.text(dir.resolve("dataset.json"), """
                {"classNames": "names.txt", "splits": {"train": {"images": "images", "labels": "labels"}}}""");
        Run n = run("info", dir.toString());
        assertThat(n.code()).as(n.err()).isZero();
        assertThat(n.out()).containsPattern("  1 weed\\s+#").contains("problems    none");

        Fixtures.text(dir.resolve("names.txt"), "ground\n\nweed\n");
        assertOneLine(run("info", dir.toString()), 1, "names.txt line 2: blank line");
        Fixtures.text(dir.resolve("dataset.json"), """
                {"classNames": "nonames.txt", "splits": {"train": {"images": "images", "labels": "labels"}}}""");
        assertOneLine(run("info", dir.toString()), 1, "dataset.json: key 'classNames': file 'nonames.txt' not found");
    }

    @Test
    void mmsegLayoutNeedsADescriptorAndSaysSo() throws Exception {
        for (String split : new String[] {"train", "val"}) {
            Fixtures.rgbImage(dir.resolve("img_dir/" + split + "/x.jpg"), 10, 6);
            Fixtures.grayPng(dir.resolve("ann_dir/" + split + "/x.png"), 10, 6, (x, y) -> x < 5 ? 0 : 1);
        }
        assertOneLine(run("info", dir.toString()), 1, "MMSegmentation layout", "no dataset.json", "classNames");
        Fixtures.text(dir.resolve("classes.txt"), "other\ncrop\n");
        Fixtures.text(dir.resolve("dataset.json"), "{\"classNames\": \"classes.txt\"}");
        Run r = run("info", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("train\\s+1 ").containsPattern("val\\s+1 ").contains("1 crop");
    }
}
