package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADE20K's SceneParsing layout, names-only descriptors, class-name files and MMSegmentation's layout. */
class DatasetFormatsTest {

    @TempDir
    Path dir;

    /** An ADEChallengeData2016 folder with {@code train} training and {@code val} validation pairs. */
    static Path ade(Path parent, int train, int val) {
        Path root = parent.resolve("ADEChallengeData2016");
        for (int i = 1; i <= train; i++) {
            adePair(root, "training", String.format("ADE_train_%08d", i), (x, y) -> x);
        }
        for (int i = 1; i <= val; i++) {
            adePair(root, "validation", String.format("ADE_val_%08d", i), (x, y) -> 150 - x);
        }
        return root;
    }

    static void adePair(Path root, String folder, String stem, java.util.function.IntBinaryOperator label) {
        Fixtures.rgbImage(root.resolve("images/" + folder + "/" + stem + ".jpg"), 8, 4);
        Fixtures.grayPng(root.resolve("annotations/" + folder + "/" + stem + ".png"), 8, 4, label);
    }

    @Test
    void ade20kFromItsFolderOrTheFolderAboveIt() throws Exception {
        Path root = ade(dir, 3, 2);
        for (Path folder : new Path[] {root, dir}) {
            assertThat(DatasetLoader.detect(folder)).isEqualTo(DatasetFormat.ADE20K);
            SegmentationDataset ds = DatasetLoader.open(folder);
            assertThat(ds.format()).isEqualTo(DatasetFormat.ADE20K);
            assertThat(ds.root()).isEqualTo(root.toAbsolutePath().normalize());
            assertThat(ds.splitNames()).containsExactly("train", "val");
            assertThat(ds.pairs("train")).extracting(ImagePair::id)
                    .containsExactly("ADE_train_00000001", "ADE_train_00000002", "ADE_train_00000003");
            assertThat(ds.pairs("val")).hasSize(2);
            assertThat(ds.problems("train")).isEmpty();
        }
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.numClasses()).isEqualTo(150);
        assertThat(ds.classInfo(0).name()).isEqualTo("wall");
        assertThat(ds.classInfo(1).name()).isEqualTo("building");
        assertThat(ds.classInfo(2).name()).isEqualTo("sky");
        assertThat(ds.classInfo(7).name()).isEqualTo("bed");
        assertThat(ds.classInfo(44).name()).isEqualTo("chest of drawers");
        assertThat(ds.classInfo(149).name()).isEqualTo("flag");
        assertThat(ds.classes().stream().map(ClassInfo::name).collect(Collectors.toSet())).hasSize(150);
        assertThat(ds.classInfo(5).rgb()).isEqualTo(Palette.color(5));
        assertThat(ds.ignoreIndex()).isEqualTo(255);
        assertThat(ds.hasBackground()).isFalse();
        assertThat(DatasetValidator.describeLabelValues(ds)).isEqualTo("0 = void, k = class k-1");
    }

    @Test
    void ade20kLabelZeroIsVoidAndValueKIsClassKMinusOne() throws Exception {
        Path root = dir.resolve("ADEChallengeData2016");
        // x = 0..7 → raw 0, 1, 2, 150, 151, 200, 255, 149
        int[] raw = {0, 1, 2, 150, 151, 200, 255, 149};
        adePair(root, "training", "a", (x, y) -> raw[x]);
        SegmentationDataset ds = DatasetLoader.open(root);
        SampleReader.Result r = SampleReader.readChecked(ds, ds.pairs("train").get(0));
        int[] got = IntStream.range(0, 8).map(x -> r.sample().label(x, 0)).toArray();
        assertThat(got).containsExactly(255, 0, 1, 149, 255, 255, 255, 148);
        assertThat(r.issues().outOfRange()).containsOnlyKeys(151, 200);
        assertThat(r.issues().outOfRange().get(151)).isEqualTo(4L);
    }

    @Test
    void ade20kBadInput() throws Exception {
        Path root = ade(dir, 2, 0);
        Files.createDirectories(root.resolve("images/validation"));
        Files.createDirectories(root.resolve("annotations/validation"));
        Fixtures.rgbImage(root.resolve("images/training/ADE_train_00000009.jpg"), 8, 4);
        Fixtures.grayPng(root.resolve("annotations/training/ADE_train_00000042.png"), 8, 4, (x, y) -> 1);
        SegmentationDataset ds = DatasetLoader.open(root);
        assertThat(ds.pairs("train")).hasSize(2);
        assertThat(ds.pairs("val")).isEmpty();
        assertThat(ds.problems("train")).extracting(DatasetProblem::toString).containsExactlyInAnyOrder(
                "images/training/ADE_train_00000009.jpg: no label named ADE_train_00000009.* in annotations/training",
                "annotations/training/ADE_train_00000042.png: label with no image");

        Path bare = dir.resolve("bare/ADEChallengeData2016");
        Files.createDirectories(bare.resolve("images/training"));
        Files.createDirectories(bare.resolve("annotations/training"));
        assertThatThrownBy(() -> DatasetLoader.open(bare)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("ADE20K layout but no image/label pairs found");

        Path half = dir.resolve("half");
        adePair(half, "training", "t", (x, y) -> 1);
        Files.createDirectories(half.resolve("images/validation"));
        SegmentationDataset h = DatasetLoader.open(half);
        assertThat(h.pairs("val")).isEmpty();
        assertThat(h.problems("val")).extracting(DatasetProblem::toString)
                .containsExactly("annotations/validation: folder not found (images/validation has no annotations)");
    }

    private void descriptor(Path root, String json) {
        Fixtures.text(root.resolve("dataset.json"), json);
    }

    private static void pair(Path root, String images, String labels, String stem, int value) {
        Fixtures.rgbImage(root.resolve(images + "/" + stem + ".jpg"), 6, 4);
        Fixtures.grayPng(root.resolve(labels + "/" + stem + ".png"), 6, 4, (x, y) -> x < 3 ? value : 1);
    }

    @Test
    void namesOnlyDescriptorGetsTheDefaultPalette() throws Exception {
        pair(dir, "i", "l", "p", 0);
        descriptor(dir, """
                {"classes": [{"name": "ground"}, {"name": "plant", "color": "#00ff00"}, {"name": "pot"}],
                 "splits": {"train": {"images": "i", "labels": "l"}}}""");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.classes()).extracting(ClassInfo::rgb).containsExactly(Palette.color(0), 0x00ff00, Palette.color(2));
    }

    @Test
    void classNamesFromATextFile() throws Exception {
        pair(dir, "i", "l", "p", 2);
        Fixtures.text(dir.resolve("meta/names.txt"), "\uFEFFground \n plant\npot\n\n\n");
        descriptor(dir, """
                {"classNames": "meta/names.txt", "background": "ground",
                 "splits": {"train": {"images": "i", "labels": "l"}}}""");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.classes()).extracting(ClassInfo::name).containsExactly("ground", "plant", "pot");
        assertThat(ds.classes()).extracting(ClassInfo::rgb)
                .containsExactly(Palette.color(0), Palette.color(1), Palette.color(2));
        assertThat(ds.backgroundIndex()).isZero();
        assertThat(SampleReader.read(ds, ds.pairs("train").get(0)).label(0, 0)).isEqualTo(2);
    }

    @Test
    void reduceZeroLabelInADescriptor() throws Exception {
        pair(dir, "i", "l", "p", 0);
        Fixtures.grayPng(dir.resolve("l/q.png"), 6, 4, (x, y) -> new int[] {0, 1, 2, 3, 4, 255}[x]);
        Fixtures.rgbImage(dir.resolve("i/q.jpg"), 6, 4);
        Fixtures.text(dir.resolve("names.txt"), "a\nb\nc\n");
        descriptor(dir, """
                {"classNames": "names.txt", "reduceZeroLabel": true,
                 "splits": {"train": {"images": "i", "labels": "l"}}}""");
        SegmentationDataset ds = DatasetLoader.open(dir);
        SampleReader.Result r = SampleReader.readChecked(ds, ds.pairs("train").get(1));
        assertThat(IntStream.range(0, 6).map(x -> r.sample().label(x, 0)).toArray())
                .containsExactly(255, 0, 1, 2, 255, 255);
        assertThat(r.issues().outOfRange()).containsOnlyKeys(4);
        assertThat(DatasetValidator.describeLabelValues(ds)).isEqualTo("0 = void, k = class k-1");
    }

    @Test
    void badClassNameFilesNameTheFileAndLine() throws Exception {
        pair(dir, "i", "l", "p", 0);
        String splits = ", \"splits\": {\"train\": {\"images\": \"i\", \"labels\": \"l\"}}}";
        expectError("{\"classNames\": \"none.txt\"" + splits, "dataset.json: key 'classNames': file 'none.txt' not found");
        expectError("{\"classNames\": \"../names.txt\"" + splits, "dataset.json: key 'classNames': path '../names.txt' leaves");
        expectError("{\"classNames\": [\"a\", \"b\"]" + splits, "dataset.json: key 'classNames': bad value");
        expectError("{\"classNames\": \"n.txt\", \"classes\": [{\"name\": \"a\"}]" + splits,
                "give either 'classes' or 'classNames'");
        Fixtures.text(dir.resolve("n.txt"), "a\n\nb\n");
        expectError("{\"classNames\": \"n.txt\"" + splits, "n.txt line 2: blank line");
        Fixtures.text(dir.resolve("n.txt"), "a\nb\na\n");
        expectError("{\"classNames\": \"n.txt\"" + splits, "n.txt line 3: class 'a' appears twice (first on line 1)");
        Fixtures.text(dir.resolve("n.txt"), "\n \n");
        expectError("{\"classNames\": \"n.txt\"" + splits, "n.txt: no class names");
        Fixtures.text(dir.resolve("n.txt"), "a\u0000b\n");
        expectError("{\"classNames\": \"n.txt\"" + splits, "n.txt line 1: control character");
        Fixtures.text(dir.resolve("n.txt"), IntStream.range(0, 256).mapToObj(i -> "c" + i).collect(Collectors.joining("\n")));
        expectError("{\"classNames\": \"n.txt\"" + splits, "n.txt: at most 255 classes (found 256)");
        Fixtures.text(dir.resolve("n.txt"), "a\nb\n");
        expectError("{\"classNames\": \"n.txt\", \"reduceZeroLabel\": \"yes\"" + splits, "key 'reduceZeroLabel'");
        expectError("{\"classes\": [{\"name\": \"a\", \"value\": 3}], \"reduceZeroLabel\": true" + splits,
                "key 'classes[0].value': not allowed with \"reduceZeroLabel\": true");
        expectError("{\"classNames\": \"n.txt\", \"reduceZeroLabel\": true, \"labelEncoding\": \"rgb\"" + splits,
                "key 'reduceZeroLabel' does not apply to \"labelEncoding\": \"rgb\"");
        expectError("{\"classNames\": \"n.txt\"}", "key 'splits' is missing or empty");
    }

    private void expectError(String json, String fragment) {
        descriptor(dir, json);
        assertThatThrownBy(() -> DatasetLoader.open(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void mmsegLayoutThroughADescriptorWithoutSplitsOrColours() throws Exception {
        Path root = dir.resolve("mmseg");
        pair(root, "img_dir/train", "ann_dir/train", "t1", 0);
        pair(root, "img_dir/train", "ann_dir/train", "t2", 2);
        pair(root, "img_dir/val", "ann_dir/val", "v1", 1);
        Fixtures.rgbImage(root.resolve("img_dir/test/u1.jpg"), 6, 4); // unlabelled test images: not a split
        assertThatThrownBy(() -> DatasetLoader.open(root)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("MMSegmentation layout (img_dir/ + ann_dir/) but no dataset.json")
                .hasMessageContaining("classNames");
        assertThat(DatasetLoader.detect(root)).isNull();

        Fixtures.text(root.resolve("classes.txt"), "background\nroad\ncar\n");
        descriptor(root, "{\"classNames\": \"classes.txt\", \"background\": 0}");
        SegmentationDataset ds = DatasetLoader.open(root);
        assertThat(ds.format()).isEqualTo(DatasetFormat.DESCRIPTOR);
        assertThat(ds.splitNames()).containsExactly("train", "val");
        assertThat(ds.pairs("train")).extracting(ImagePair::id).containsExactly("t1", "t2");
        assertThat(ds.classInfo(1).rgb()).isEqualTo(Palette.color(1));

        // bad input: an image without its annotation, a label value outside the classes, an empty split
        Fixtures.rgbImage(root.resolve("img_dir/train/lonely.jpg"), 6, 4);
        pair(root, "img_dir/train", "ann_dir/train", "t3", 7);
        Files.createDirectories(root.resolve("ann_dir/test"));
        ds = DatasetLoader.open(root);
        assertThat(ds.splitNames()).containsExactly("train", "val", "test");
        assertThat(ds.pairs("test")).isEmpty();
        assertThat(ds.problems("train")).extracting(DatasetProblem::toString)
                .containsExactly("img_dir/train/lonely.jpg: no label named lonely.* in ann_dir/train");
        SampleReader.Result r = SampleReader.readChecked(ds, ds.pairs("train").get(2));
        assertThat(r.issues().outOfRange()).containsOnlyKeys(7);

        Path apart = dir.resolve("apart");
        pair(apart, "img_dir/training", "ann_dir/validation", "x", 0);
        Fixtures.text(apart.resolve("classes.txt"), "a\nb\n");
        descriptor(apart, "{\"classNames\": \"classes.txt\"}");
        assertThatThrownBy(() -> DatasetLoader.open(apart)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("dataset.json: key 'splits' is missing and img_dir/ and ann_dir/ have no split folder in common");
    }
}
