package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleReaderTest {

    @TempDir
    Path dir;

    SegmentationDataset ds;

    @BeforeEach
    void camvid() throws Exception {
        Fixtures.camvid(dir, 2, 16, 12);
        ds = DatasetLoader.open(dir);
    }

    private ImagePair pair(Path image, Path label) {
        return new ImagePair("x", image, label);
    }

    private Path goodImage() {
        return dir.resolve("train/train0.png");
    }

    private Path goodLabel() {
        return dir.resolve("trainannot/train0.png");
    }

    @Test
    void decodesRgbInTheRightChannelOrder() throws Exception {
        Path img = Fixtures.rgbImage(dir.resolve("c.png"), 16, 12, (x, y) -> 0xFF8000);
        Sample s = SampleReader.read(ds, pair(img, goodLabel()));
        assertThat(Arrays.copyOf(s.rgb(), 3)).containsExactly((byte) 0xFF, (byte) 0x80, (byte) 0x00);
        Path jpg = Fixtures.rgbImage(dir.resolve("c.jpg"), 16, 12, (x, y) -> 0x2040F0);
        Sample j = SampleReader.read(ds, pair(jpg, goodLabel()));
        assertThat(j.rgb()[2] & 0xFF).isGreaterThan(200);
        assertThat(j.rgb()[0] & 0xFF).isLessThan(60);
    }

    @Test
    void emptyFile() throws Exception {
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertThatThrownBy(() -> SampleReader.read(ds, pair(empty, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("empty.png").hasMessageContaining("empty file");
    }

    @Test
    void truncatedPngAndJpeg() throws Exception {
        byte[] png = Files.readAllBytes(goodImage());
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> SampleReader.read(ds, pair(cut, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("cut.png").hasMessageContaining("truncated");
        Path jpg = Fixtures.rgbImage(dir.resolve("full.jpg"), 16, 12);
        byte[] j = Files.readAllBytes(jpg);
        Path cutJpg = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(j, j.length - 40));
        assertThatThrownBy(() -> SampleReader.read(ds, pair(cutJpg, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("cut.jpg").hasMessageContaining("truncated");
    }

    @Test
    void corruptPngAndNotAnImage() throws Exception {
        byte[] png = Files.readAllBytes(goodImage());
        byte[] bad = png.clone();
        for (int i = 40; i < bad.length - 20; i++) {
            bad[i] = (byte) (i * 31);
        }
        Path corrupt = Files.write(dir.resolve("corrupt.png"), bad);
        assertThatThrownBy(() -> SampleReader.read(ds, pair(corrupt, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("corrupt.png");
        Path text = Fixtures.text(dir.resolve("notes.png"), "this is not an image at all, just some words\n");
        assertThatThrownBy(() -> SampleReader.read(ds, pair(goodImage(), text)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("notes.png").hasMessageContaining("not an image");
        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> SampleReader.read(ds, pair(missing, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("missing.png").hasMessageContaining("not found");
    }

    @Test
    void enormousDeclaredSizeIsRefusedBeforeDecoding() throws Exception {
        Path huge = Files.write(dir.resolve("huge.png"), Fixtures.pngHeaderOnly(60_000, 60_000));
        assertThatThrownBy(() -> SampleReader.read(ds, pair(huge, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("huge.png").hasMessageContaining("too large");
        assertThatThrownBy(() -> ImageHeader.read(huge)).hasMessageContaining("60000x60000");
    }

    @Test
    void sizeMismatchNamesTheFile() {
        Path small = Fixtures.grayPng(dir.resolve("small.png"), 8, 12, (x, y) -> 1);
        assertThatThrownBy(() -> SampleReader.read(ds, pair(goodImage(), small)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("small.png").hasMessageContaining("8x12")
                .hasMessageContaining("16x12");
    }

    @Test
    void sixteenBitAndRgbLabelsGetClearMessages() {
        Path l16 = Fixtures.gray16Png(dir.resolve("deep.png"), 16, 12, (x, y) -> 3);
        assertThatThrownBy(() -> SampleReader.read(ds, pair(goodImage(), l16)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("deep.png").hasMessageContaining("16-bit");
        Path rgb = Fixtures.rgbLabel(dir.resolve("colour.png"), 16, 12, (x, y) -> 0x804080);
        assertThatThrownBy(() -> SampleReader.read(ds, pair(goodImage(), rgb)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("colour.png")
                .hasMessageContaining("RGB colour image");
        // an RGB file that is really gray (R = G = B) is read as indices
        Path grayish = Fixtures.rgbLabel(dir.resolve("grayish.png"), 16, 12, (x, y) -> 0x030303);
        assertThat(assertRead(pair(goodImage(), grayish)).label(0, 0)).isEqualTo(3);
    }

    @Test
    void outOfRangeValuesBecomeVoidAndAreCounted() throws Exception {
        Path lab = Fixtures.grayPng(dir.resolve("oor.png"), 16, 12, (x, y) -> x < 4 ? 40 : x < 6 ? 11 : 2);
        SampleReader.Result r = SampleReader.readChecked(ds, pair(goodImage(), lab));
        assertThat(r.sample().label(0, 0)).isEqualTo(11);
        assertThat(r.sample().label(8, 0)).isEqualTo(2);
        assertThat(r.issues().outOfRange()).containsExactlyEntriesOf(java.util.Map.of(40, 48L));
        assertThat(r.issues().describe()).contains("48 pixels").contains("40: 48");
    }

    @Test
    void packedPaletteLabelsGiveIndices() throws Exception {
        Path l4 = Fixtures.palette4BitPng(dir.resolve("l4.png"), 16, 12, (x, y) -> x % 11);
        assertThat(ImageHeader.read(l4).bitDepth()).isEqualTo(4);
        Sample s = SampleReader.read(ds, pair(goodImage(), l4));
        assertThat(s.label(7, 3)).isEqualTo(7);
        assertThat(s.label(10, 0)).isEqualTo(10);
    }

    @Test
    void webpImagesAreReadAndTheirHeaderChecked() throws Exception {
        byte[] webp;
        try (org.bytedeco.opencv.opencv_core.Mat m = new org.bytedeco.opencv.opencv_core.Mat(12, 16,
                org.bytedeco.opencv.global.opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(200, 100, 50, 0));
             org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer()) {
            assertThat(org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", m, buf)).isTrue();
            webp = new byte[(int) buf.limit()];
            buf.get(webp);
        }
        Path file = Files.write(dir.resolve("w.webp"), webp);
        ImageHeader h = ImageHeader.read(file);
        assertThat(h.format()).isEqualTo("WEBP");
        assertThat(h.width()).isEqualTo(16);
        assertThat(h.height()).isEqualTo(12);
        Sample s = SampleReader.read(ds, pair(file, goodLabel()));
        assertThat(s.rgb()[0] & 0xFF).isBetween(40, 60);   // R of BGR (200, 100, 50)
        assertThat(s.rgb()[2] & 0xFF).isBetween(190, 210);
        Path cut = Files.write(dir.resolve("cut.webp"), Arrays.copyOf(webp, webp.length - 10));
        assertThatThrownBy(() -> SampleReader.read(ds, pair(cut, goodLabel())))
                .isInstanceOf(DatasetException.class).hasMessageContaining("cut.webp").hasMessageContaining("truncated");
    }

    @Test
    void threadSafe() throws Exception {
        List<ImagePair> pairs = new ArrayList<>(ds.pairs("train"));
        pairs.addAll(ds.pairs("val"));
        List<Sample> expected = new ArrayList<>();
        for (ImagePair p : pairs) {
            expected.add(SampleReader.read(ds, p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 48; t++) {
                int k = t % pairs.size();
                results.add(pool.submit(() -> {
                    Sample s = SampleReader.read(ds, pairs.get(k));
                    return Arrays.equals(s.rgb(), expected.get(k).rgb()) && Arrays.equals(s.labels(), expected.get(k).labels());
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Sample assertRead(ImagePair p) {
        try {
            return SampleReader.read(ds, p);
        } catch (DatasetException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
