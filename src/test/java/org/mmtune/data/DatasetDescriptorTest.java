package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDescriptorTest {

    @TempDir
    Path dir;

    private static final String CLASSES = """
            "classes": [{"name": "bg", "color": "#000000"}, {"name": "cat", "color": [255, 0, 0]},
                        {"name": "dog", "color": "00ff00"}]""";

    private void descriptor(String body) {
        Fixtures.text(dir.resolve("dataset.json"), "{" + body + "}");
    }

    @Test
    void indexEncodingWithFolderPairs() throws Exception {
        for (int i = 0; i < 3; i++) {
            Fixtures.rgbImage(dir.resolve("img/a" + i + ".jpg"), 6, 4);
            Fixtures.grayPng(dir.resolve("lab/a" + i + "_mask.png"), 6, 4, (x, y) -> x < 5 ? x % 3 : 255);
        }
        Fixtures.grayPng(dir.resolve("lab/orphan_mask.png"), 6, 4, (x, y) -> 0);
        descriptor(CLASSES + """
                , "background": "bg", "labelEncoding": "index",
                "splits": {"train": {"images": "img", "labels": "lab", "labelSuffix": "_mask"}}""");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.format()).isEqualTo(DatasetFormat.DESCRIPTOR);
        assertThat(ds.name()).isEqualTo(dir.getFileName().toString());
        assertThat(ds.numClasses()).isEqualTo(3);
        assertThat(ds.backgroundIndex()).isZero();
        assertThat(ds.ignoreIndex()).isEqualTo(255);
        assertThat(ds.classInfo(1).rgb()).isEqualTo(0xFF0000);
        assertThat(ds.classInfo(2).rgb()).isEqualTo(0x00FF00);
        assertThat(ds.pairs("train")).extracting(ImagePair::id).containsExactly("a0", "a1", "a2");
        assertThat(ds.problems("train")).extracting(DatasetProblem::kind).containsExactly(DatasetProblem.Kind.UNPAIRED);
        Sample s = SampleReader.read(ds, ds.pairs("train").get(1));
        assertThat(s.label(2, 0)).isEqualTo(2);
        assertThat(s.label(5, 0)).isEqualTo(255);
        assertThat(s.rgb()).hasSize(6 * 4 * 3);
    }

    @Test
    void paletteEncodingWithListFileAndRawValues() throws Exception {
        Fixtures.rgbImage(dir.resolve("x/one.png"), 5, 5);
        Fixtures.palettePng(dir.resolve("y/one.png"), 5, 5, new int[] {0, 0xFF0000, 0x00FF00},
                (x, y) -> x == 0 ? 0 : x == 1 ? 10 : x == 2 ? 20 : x == 3 ? 99 : 200);
        Fixtures.text(dir.resolve("lists/train.txt"), "x/one.png y/one.png\n");
        descriptor("""
                "name": "raw", "classes": [{"name": "a", "color": "#111111", "value": 0},
                  {"name": "b", "color": "#222222", "value": 10}, {"name": "c", "color": "#333333", "value": 20}],
                "ignoreIndex": 200, "labelEncoding": "palette", "splits": {"train": {"list": "lists/train.txt"}}""");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.name()).isEqualTo("raw");
        assertThat(ds.hasBackground()).isFalse();
        SampleReader.Result r = SampleReader.readChecked(ds, ds.pairs("train").get(0));
        Sample s = r.sample();
        assertThat(new int[] {s.label(0, 0), s.label(1, 0), s.label(2, 0), s.label(3, 0), s.label(4, 0)})
                .containsExactly(0, 1, 2, 200, 200);
        assertThat(r.issues().outOfRange()).containsOnlyKeys(99);
    }

    @Test
    void rgbEncodingMapsColoursAndCountsUnknownOnes() throws Exception {
        Fixtures.rgbImage(dir.resolve("i/p.png"), 4, 2);
        Fixtures.rgbLabel(dir.resolve("l/p.png"), 4, 2,
                (x, y) -> new int[] {0x000000, 0xFF0000, 0x00FF00, y == 0 ? 0x123456 : 0xFFFFFF}[x]);
        descriptor(CLASSES + """
                , "labelEncoding": "rgb", "ignoreColor": "#ffffff", "background": 0,
                "splits": {"val": {"images": "i", "labels": "l"}}""");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.labelEncoding()).isEqualTo(LabelEncoding.RGB);
        SampleReader.Result r = SampleReader.readChecked(ds, ds.pairs("val").get(0));
        Sample s = r.sample();
        assertThat(new int[] {s.label(0, 0), s.label(1, 0), s.label(2, 0), s.label(3, 0), s.label(3, 1)})
                .containsExactly(0, 1, 2, 255, 255);
        assertThat(r.issues().unknownColours()).containsOnlyKeys("#123456");
        assertThat(r.issues().unknownColours().get("#123456")).isEqualTo(1L);
    }

    @Test
    void errorsNameTheKey() {
        Fixtures.rgbImage(dir.resolve("i/p.png"), 4, 2);
        Fixtures.grayPng(dir.resolve("l/p.png"), 4, 2, (x, y) -> 0);
        String splits = ", \"splits\": {\"train\": {\"images\": \"i\", \"labels\": \"l\"}}";
        expectError("\"classes\": [", "not valid JSON");
        expectError(CLASSES + splits + ", \"colour\": 3", "unknown key 'colour'");
        expectError("\"classes\": [{\"name\": \"a\", \"colour\": \"#000000\"}]" + splits, "unknown key 'classes[0].colour'");
        expectError(CLASSES + splits + ", \"labelEncoding\": \"jpeg\"", "key 'labelEncoding'");
        expectError(CLASSES + splits + ", \"ignoreIndex\": 1", "key 'ignoreIndex'");
        expectError(CLASSES + splits + ", \"ignoreIndex\": \"x\"", "key 'ignoreIndex'");
        expectError(CLASSES + splits + ", \"background\": \"sky\"", "key 'background'");
        expectError("\"classes\": [{\"name\": \"a\", \"color\": \"red\"}]" + splits, "key 'classes[0].color'");
        expectError("\"classes\": []" + splits, "key 'classes'");
        expectError(CLASSES, "key 'splits'");
        expectError(CLASSES + ", \"splits\": {\"train\": {\"images\": \"../i\", \"labels\": \"l\"}}",
                "key 'splits.train.images'");
        expectError(CLASSES + ", \"splits\": {\"train\": {\"images\": \"nope\", \"labels\": \"l\"}}",
                "key 'splits.train.images'");
        expectError(CLASSES + ", \"splits\": {\"train\": {\"list\": \"none.txt\"}}", "key 'splits.train.list'");
        expectError(CLASSES + ", \"splits\": {\"train\": {}}", "key 'splits.train'");
        expectError(CLASSES + splits + ", \"ignoreColor\": \"#ffffff\"", "key 'ignoreColor'");
        expectError("\"classes\": \"cat\"" + splits, "key 'classes'");
        expectError(CLASSES + ", \"splits\": {\"train\": {\"list\": 3}}", "key 'splits.train.list'");
        expectError(CLASSES + ", \"splits\": [1]", "key 'splits'");
    }

    private void expectError(String body, String fragment) {
        descriptor(body);
        assertThatThrownBy(() -> DatasetLoader.open(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("dataset.json")
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
