package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

    @TempDir
    Path dir;

    @Test
    void camvidFolderLayout() throws Exception {
        Fixtures.camvid(dir, 3, 12, 8);
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.format()).isEqualTo(DatasetFormat.CAMVID);
        assertThat(ds.numClasses()).isEqualTo(11);
        assertThat(ds.ignoreIndex()).isEqualTo(11);
        assertThat(ds.hasBackground()).isFalse();
        assertThat(ds.classInfo(3).name()).isEqualTo("Road");
        assertThat(ds.classInfo(3).rgb()).isEqualTo(0x804080);
        assertThat(ds.splitNames()).containsExactly("train", "val");
        assertThat(ds.pairs("train")).hasSize(3);
        Sample s = SampleReader.read(ds, ds.pairs("train").get(0));
        assertThat(s.width()).isEqualTo(12);
        assertThat(s.height()).isEqualTo(8);
        assertThat(s.label(5, 2)).isEqualTo(7);
        assertThat(s.label(11, 0)).isEqualTo(11); // void stays void
    }

    @Test
    void camvidListFileWithBadEntries() throws Exception {
        Fixtures.camvid(dir, 2, 8, 8);
        Fixtures.text(dir.resolve("train.txt"), String.join("\n",
                "train/train0.png trainannot/train0.png",
                "",
                "train/nothere.png trainannot/train1.png",
                "../outside.png trainannot/train1.png",
                "/etc/passwd trainannot/train1.png",
                "train/train1.png",
                "train/train1.png\ttrainannot/train1.png",
                "train/../train/train0.png trainannot/train0.png"));
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.pairs("train")).extracting(ImagePair::id).containsExactly("train0", "train1", "train0~2");
        List<DatasetProblem> p = ds.problems("train");
        assertThat(p).extracting(DatasetProblem::kind).containsExactly(DatasetProblem.Kind.MISSING,
                DatasetProblem.Kind.REFUSED_PATH, DatasetProblem.Kind.REFUSED_PATH, DatasetProblem.Kind.MALFORMED_LINE);
        assertThat(p.get(0).toString()).contains("train/nothere.png");
        assertThat(p.get(1).toString()).contains("train.txt line 4").contains("leaves the dataset folder");
        assertThat(p.get(2).toString()).contains("line 5").contains("absolute path");
        // val has no list file: its folders are used
        assertThat(ds.pairs("val")).hasSize(2);
    }

    @Test
    void camvidListOfAbsolutePathsFallsBackToFolders() throws Exception {
        Fixtures.camvid(dir, 2, 8, 8);
        Fixtures.text(dir.resolve("train.txt"), "/SegNet/CamVid/train/a.png /SegNet/CamVid/trainannot/a.png\n");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.pairs("train")).hasSize(2);
        assertThat(ds.problems("train")).hasSize(1);
        assertThat(ds.problems("train").get(0).message()).contains("using the train/ and trainannot/ folders");
    }

    @Test
    void vocFromParentFolderReadsPaletteIndicesNotColours() throws Exception {
        Path voc = dir.resolve("VOCdevkit/VOC2012");
        int[] palette = new int[256];
        for (int i = 0; i < 256; i++) {
            palette[i] = DatasetLoader.VocFormat.color(i);
        }
        palette[255] = 0xE0E0C0;
        Fixtures.rgbImage(voc.resolve("JPEGImages/2007_000001.jpg"), 10, 6);
        Fixtures.palettePng(voc.resolve("SegmentationClass/2007_000001.png"), 10, 6, palette,
                (x, y) -> x < 3 ? 0 : x < 6 ? 15 : x < 9 ? 255 : 40);
        Fixtures.rgbImage(voc.resolve("JPEGImages/2007_000002.jpg"), 10, 6);
        Fixtures.grayPng(voc.resolve("SegmentationClassAug/2007_000002.png"), 10, 6, (x, y) -> 12);
        Fixtures.text(voc.resolve("ImageSets/Segmentation/train.txt"), "2007_000001\n2007_000002\n");
        Fixtures.text(voc.resolve("ImageSets/Segmentation/val.txt"), "2007_000001\n2007_000009\n");

        assertThat(DatasetLoader.detect(dir)).isEqualTo(DatasetFormat.VOC);
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.format()).isEqualTo(DatasetFormat.VOC);
        assertThat(ds.numClasses()).isEqualTo(21);
        assertThat(ds.backgroundIndex()).isZero();
        assertThat(ds.ignoreIndex()).isEqualTo(255);
        assertThat(ds.classInfo(15).name()).isEqualTo("person");
        assertThat(ds.classInfo(15).rgb()).isEqualTo(0xC08080);
        assertThat(ds.classInfo(1).rgb()).isEqualTo(0x800000);
        assertThat(ds.splitNames()).containsExactly("train", "val");
        assertThat(ds.pairs("val")).hasSize(1);
        assertThat(ds.problems("val")).extracting(DatasetProblem::kind).containsOnly(DatasetProblem.Kind.MISSING);

        SampleReader.Result r = SampleReader.readChecked(ds, ds.pairs("train").get(0));
        Sample s = r.sample();
        assertThat(s.label(0, 0)).isZero();
        assertThat(s.label(4, 3)).isEqualTo(15);
        assertThat(s.label(7, 1)).isEqualTo(255);
        assertThat(s.label(9, 1)).isEqualTo(255); // 40 is no VOC class: void, and counted
        assertThat(r.issues().outOfRange()).containsEntry(40, 6L);
        Sample aug = SampleReader.read(ds, ds.pairs("train").get(1));
        assertThat(aug.label(3, 3)).isEqualTo(12);
    }

    @Test
    void cityscapesLabelIdsAreMappedToTrainIds() throws Exception {
        Path img = dir.resolve("leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png");
        Path lab = dir.resolve("gtFine/train/aachen/aachen_000000_000019_gtFine_labelIds.png");
        Fixtures.rgbImage(img, 8, 4);
        Fixtures.grayPng(lab, 8, 4, (x, y) -> new int[] {7, 26, 0, 23, 4, 33, 255, 9}[x]);
        Fixtures.rgbImage(dir.resolve("leftImg8bit/val/bonn/bonn_000000_000001_leftImg8bit.png"), 8, 4);
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.format()).isEqualTo(DatasetFormat.CITYSCAPES);
        assertThat(ds.numClasses()).isEqualTo(19);
        assertThat(ds.hasBackground()).isFalse();
        assertThat(ds.classInfo(13).name()).isEqualTo("car");
        assertThat(ds.pairs("train")).hasSize(1);
        assertThat(ds.pairs("val")).isEmpty();
        assertThat(ds.problems("val")).hasSize(1);
        Sample s = SampleReader.read(ds, ds.pairs("train").get(0));
        assertThat(new int[] {s.label(0, 0), s.label(1, 0), s.label(2, 0), s.label(3, 0), s.label(4, 0),
            s.label(5, 0), s.label(6, 0), s.label(7, 0)}).containsExactly(0, 13, 255, 10, 255, 18, 255, 255);

        // with labelTrainIds present, those are read as they are
        Fixtures.grayPng(dir.resolve("gtFine/train/aachen/aachen_000000_000019_gtFine_labelTrainIds.png"), 8, 4,
                (x, y) -> x == 0 ? 5 : 255);
        SegmentationDataset ds2 = DatasetLoader.open(dir);
        assertThat(ds2.labelMap()).isNull();
        Sample s2 = SampleReader.read(ds2, ds2.pairs("train").get(0));
        assertThat(s2.label(0, 0)).isEqualTo(5);
        assertThat(s2.label(1, 0)).isEqualTo(255);
    }

    @Test
    void oddCharactersInNames() throws Exception {
        Fixtures.camvid(dir, 1, 6, 4);
        Fixtures.rgbImage(dir.resolve("train/straße 1.png"), 6, 4);
        Fixtures.grayPng(dir.resolve("trainannot/straße 1.png"), 6, 4, (x, y) -> 3);
        Fixtures.text(dir.resolve("train.txt"), "train/straße 1.png\ttrainannot/straße 1.png\n"
                + "train/a\u0000b.png trainannot/train0.png\n"
                + "train/x y.png trainannot/x y.png\n"
                + "   \n# a comment\n");
        SegmentationDataset ds = DatasetLoader.open(dir);
        assertThat(ds.pairs("train")).extracting(ImagePair::id).containsExactly("straße 1");
        assertThat(SampleReader.read(ds, ds.pairs("train").get(0)).label(1, 1)).isEqualTo(3);
        assertThat(ds.problems("train")).extracting(DatasetProblem::kind)
                .containsExactly(DatasetProblem.Kind.MALFORMED_LINE, DatasetProblem.Kind.MALFORMED_LINE);
        assertThat(ds.problems("train").get(0).toString()).contains("line 2").doesNotContain("\u0000");
        assertThat(ds.problems("train").get(1).toString()).contains("line 3").contains("4 fields");
    }

    @Test
    void missingFolderAndUnknownFormat() {
        assertThatThrownBy(() -> DatasetLoader.open(dir.resolve("nope")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("nope").hasMessageContaining("no such folder");
        Fixtures.text(dir.resolve("readme.txt"), "hello");
        assertThatThrownBy(() -> DatasetLoader.open(dir))
                .isInstanceOf(DatasetException.class).hasMessageContaining("no known dataset format");
        assertThat(DatasetLoader.detect(dir)).isNull();
    }

    @Test
    void camvidWithNoPairsIsAnError() throws Exception {
        Files.createDirectories(dir.resolve("train"));
        Files.createDirectories(dir.resolve("trainannot"));
        assertThatThrownBy(() -> DatasetLoader.open(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("no image/label pairs");
    }
}
