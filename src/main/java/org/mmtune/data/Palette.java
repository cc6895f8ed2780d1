package org.mmtune.data;

/**
 * The default class colours, for datasets that name their classes but give no colours (a {@code dataset.json}
 * without {@code color}, a {@code classNames} file, ADE20K). Fixed: class {@code i} always gets the same
 * colour, whatever the dataset.
 *
 * <p>The first 18 are Kelly's colours of maximum contrast without white and black (white draws the class
 * outlines, black is the void of error maps and padding) and two yellows; after those, hues step by the golden angle
 * (137.5°), so neighbouring indices differ strongly, through four saturation/brightness levels that are
 * saturated and bright enough to stand out on photographs. All 256 colours are different; none is
 * white or black.
 */
public final class Palette {

    /**
     * Kelly (1965), "twenty-two colors of maximum contrast", without white and black, and without orange
     * yellow and greenish yellow (too close to the yellow on screens).
     */
    private static final int[] KELLY = {0xf3c300, 0x875692, 0xf38400, 0xa1caf1, 0xbe0032, 0xc2b280, 0x008856,
        0xe68fac, 0x0067a5, 0xf99379, 0x604e97, 0xb3446c, 0x882d17, 0x8db600, 0x654522,
        0xe25822, 0x2b3d26, 0x848482};

    private static final int[] COLORS = build();

    private Palette() {
    }

    /** The default colour (0xRRGGBB) of class {@code index} (0-255). */
    public static int color(int index) {
        if (index < 0 || index >= COLORS.length) {
            throw new IllegalArgumentException("class index " + index + " is outside 0-255");
        }
        return COLORS[index];
    }

    private static int[] build() {
        int[] out = new int[256];
        System.arraycopy(KELLY, 0, out, 0, KELLY.length);
        double[][] levels = {{0.85, 0.95}, {0.60, 0.85}, {1.00, 0.70}, {0.45, 1.00}};
        for (int i = KELLY.length; i < out.length; i++) {
            int k = i - KELLY.length;
            double hue = (k * 137.50776405) % 360.0;
            double[] sv = levels[(k / 7) % levels.length];
            int c = hsv(hue, sv[0], sv[1]);
            while (contains(out, i, c)) {
                c = hsv((hue += 1.0) % 360.0, sv[0], sv[1]);
            }
            out[i] = c;
        }
        return out;
    }

    private static boolean contains(int[] colors, int n, int c) {
        for (int j = 0; j < n; j++) {
            if (colors[j] == c) {
                return true;
            }
        }
        return false;
    }

    private static int hsv(double h, double s, double v) {
        double c = v * s;
        double x = c * (1 - Math.abs((h / 60.0) % 2 - 1));
        double m = v - c;
        double r, g, b;
        switch ((int) (h / 60.0) % 6) {
            case 0 -> { r = c; g = x; b = 0; }
            case 1 -> { r = x; g = c; b = 0; }
            case 2 -> { r = 0; g = c; b = x; }
            case 3 -> { r = 0; g = x; b = c; }
            case 4 -> { r = x; g = 0; b = c; }
            default -> { r = c; g = 0; b = x; }
        }
        return channel(r + m) << 16 | channel(g + m) << 8 | channel(b + m);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
