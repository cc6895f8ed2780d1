package org.mmtune.mix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmtune.data.Sample;

class PatchCropperTest {

    /** A w×h image of one colour. */
    private static Sample flat(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return new Sample("flat", w, h, rgb, new byte[w * h], 255);
    }

    @Test
    void cropsInsideTheImageAreExactAtOutputSize() {
        Sample s = TestImages.of("c", 50, 40, (x, y) -> 1);
        PatchCropper cropper = new PatchCropper(8);
        Patch p = new Patch(0, "c", 20, 10, 8, 1, 1);
        byte[] rgb = cropper.cropRgb(s, p);
        assertThat(rgb).hasSize(3 * 64);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int src = 3 * ((p.y0() + y) * 50 + p.x0() + x);
                for (int c = 0; c < 3; c++) {
                    assertThat(rgb[3 * (y * 8 + x) + c]).isEqualTo(s.rgb()[src + c]);
                }
            }
        }
    }

    @Test
    void windowsLeavingTheImageAreZeroPadded() {
        Sample s = flat(30, 20, 200, 100, 50);
        int gray = (int) Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50);
        PatchCropper cropper = new PatchCropper(8);
        // top-left corner: centre (0,0), size 8 → window [-4,4)²: the top-left 4x4 quarter is padding
        Patch corner = new Patch(0, "flat", 0, 0, 8, 0, 1);
        byte[] g = cropper.cropGray(s, corner);
        byte[] c = cropper.cropRgb(s, corner);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean inside = x >= 4 && y >= 4;
                assertThat(g[y * 8 + x] & 0xFF).isCloseTo(inside ? gray : 0, org.assertj.core.data.Offset.offset(1));
                assertThat(c[3 * (y * 8 + x)] & 0xFF).isEqualTo(inside ? 200 : 0);
                assertThat(c[3 * (y * 8 + x) + 1] & 0xFF).isEqualTo(inside ? 100 : 0);
                assertThat(c[3 * (y * 8 + x) + 2] & 0xFF).isEqualTo(inside ? 50 : 0);
            }
        }
        // bottom-right, 16-pixel window shrunk to 8: padding keeps its share after the resize
        Patch br = new Patch(0, "flat", 29, 19, 16, 0, 1); // window [21,37)x[11,27): 9 cols, 9 rows inside
        byte[] r = cropper.cropRgb(s, br);
        assertThat(r[0] & 0xFF).isEqualTo(200);                   // top-left is inside
        assertThat(r[3 * 63] & 0xFF).isZero();                     // bottom-right is padding
        int zeros = 0;
        for (int i = 0; i < 64; i++) {
            zeros += (r[3 * i] & 0xFF) == 0 ? 1 : 0;
        }
        assertThat(zeros).isBetween(64 - 5 * 5, 64 - 4 * 4);
    }

    @Test
    void resizesToTheOutputSize() {
        Sample s = TestImages.scene("r", 200, 150, 4, 1);
        for (int side : new int[] {64, 128, 200}) {
            PatchCropper cropper = new PatchCropper(128);
            Patch p = new Patch(0, "r", 100, 75, side, 0, 1);
            assertThat(cropper.cropGray(s, p)).hasSize(128 * 128);
            assertThat(cropper.cropRgb(s, p)).hasSize(3 * 128 * 128);
        }
    }

    @Test
    void cropAllMatchesSingleCrops() {
        Sample s = TestImages.scene("a", 300, 200, 4, 2);
        PatchSampler sampler = new PatchSampler(MixConfig.defaults().withOutSize(32), 4, -1);
        List<Patch> patches = sampler.sample(s, 0, 0);
        PatchCropper cropper = new PatchCropper(32);
        byte[][] g = new byte[patches.size() + 2][];
        byte[][] c = new byte[patches.size() + 2][];
        cropper.cropAll(s, patches, g, c, 2);
        for (int i = 0; i < patches.size(); i++) {
            assertThat(g[i + 2]).containsExactly(cropper.cropGray(s, patches.get(i)));
            assertThat(c[i + 2]).containsExactly(cropper.cropRgb(s, patches.get(i)));
        }
    }

    @Test
    void croppersOfDifferentSizesOnOneThreadDoNotInterfere() {
        Sample s = TestImages.scene("m", 200, 150, 4, 5);
        Patch p = new Patch(0, "m", 20, 140, 100, 0, 1);
        byte[] small = new PatchCropper(16).cropGray(s, p);
        byte[] large = new PatchCropper(64).cropRgb(s, p);
        assertThat(new PatchCropper(16).cropGray(s, p)).containsExactly(small).hasSize(256);
        assertThat(new PatchCropper(64).cropRgb(s, p)).containsExactly(large).hasSize(3 * 64 * 64);
        Sample other = TestImages.scene("o", 90, 70, 4, 6); // another image size reuses the buffers too
        assertThat(new PatchCropper(16).cropGray(other, new Patch(0, "o", 45, 35, 32, 0, 1))).hasSize(256);
        assertThat(new PatchCropper(16).cropGray(s, p)).containsExactly(small);
    }
}
