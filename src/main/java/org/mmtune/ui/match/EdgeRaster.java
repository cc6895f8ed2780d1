package org.mmtune.ui.match;

import java.nio.IntBuffer;
import java.util.Arrays;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

/**
 * The graph's background layer (edges and plain node dots) drawn by hand into one opaque image, which the
 * canvas then shows with a single {@code drawImage}. With JavaFX's software renderer (no GPU, e.g. under
 * Xvfb) a canvas rasterises every stroke with antialiased scan conversion, and the dashes of 400 long
 * negative edges alone become tens of thousands of little strokes per frame; drawn here as antialiased
 * one-pass lines (Xiaolin Wu), with dashes as a skip along the line, the whole layer costs a few
 * milliseconds, whatever the zoom. Lines are clipped to the image first. FX thread (one instance per canvas).
 */
final class EdgeRaster {

    private int width;
    private int height;
    private int[] argb = new int[0];
    /** The image shares {@link #argb} through a pixel buffer: no copy or format conversion per frame. */
    private PixelBuffer<IntBuffer> pixels;
    private WritableImage image;

    /** Starts a frame of the given size, filled with an opaque colour. */
    void begin(int w, int h, Color background) {
        w = Math.max(1, w);
        h = Math.max(1, h);
        if (w != width || h != height) {
            width = w;
            height = h;
            argb = new int[w * h];
            pixels = new PixelBuffer<>(w, h, IntBuffer.wrap(argb), PixelFormat.getIntArgbPreInstance());
            image = new WritableImage(pixels);
        }
        Arrays.fill(argb, opaque(background));
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The finished frame as an image (the same image object from frame to frame while the size stays). */
    WritableImage finish() {
        pixels.updateBuffer(b -> null); // null: all of it changed
        return image;
    }

    static int opaque(Color c) {
        return 0xFF000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }

    /**
     * An antialiased line of colour {@code rgb} (0xRRGGBB) and opacity {@code alpha}; {@code weight} scales
     * the coverage (≈ line width in pixels, at most 1 here); {@code dash} &gt; 0 draws dashes and gaps of
     * that length, measured from (x0, y0).
     */
    void line(double x0, double y0, double x1, double y1, int rgb, double alpha, double weight, double dash) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len = Math.sqrt(dx * dx + dy * dy);
        if (!(len > 1e-9) || !Double.isFinite(len)) {
            return;
        }
        // clip to the image (Liang-Barsky), keeping the parameter range for the dash phase
        double t0 = 0;
        double t1 = 1;
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {x0 + 1, width - x0, y0 + 1, height - y0};
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return;
                }
            } else {
                double r = q[i] / p[i];
                if (p[i] < 0) {
                    t0 = Math.max(t0, r);
                } else {
                    t1 = Math.min(t1, r);
                }
            }
        }
        if (t0 >= t1) {
            return;
        }
        double ax = x0 + t0 * dx;
        double ay = y0 + t0 * dy;
        double bx = x0 + t1 * dx;
        double by = y0 + t1 * dy;
        int a = (int) Math.round(Math.max(0, Math.min(1, alpha * weight)) * 256);
        if (a <= 0) {
            return;
        }
        // walk the major axis; dashes are measured from the unclipped start, so they stay put when panning
        if (Math.abs(dy) > Math.abs(dx)) {
            walk(Math.min(ay, by), Math.max(ay, by), ay <= by ? ax : bx, ay <= by ? bx : ax, y0, len / Math.abs(dy),
                    true, rgb, a, dash);
        } else {
            walk(Math.min(ax, bx), Math.max(ax, bx), ax <= bx ? ay : by, ax <= bx ? by : ay, x0, len / Math.abs(dx),
                    false, rgb, a, dash);
        }
    }

    /**
     * Steps the major axis from {@code m0} to {@code m1} (m0 ≤ m1) through pixel centres; the minor
     * coordinate goes from n0 to n1. {@code origin}: the major coordinate where the dashes start;
     * {@code perStep}: line length per unit of the major axis.
     */
    private void walk(double m0, double m1, double n0, double n1, double origin, double perStep, boolean steep,
                      int rgb, int a, double dash) {
        double slope = m1 - m0 < 1e-12 ? 0 : (n1 - n0) / (m1 - m0);
        int limitM = steep ? height : width;
        int from = Math.max(0, (int) Math.ceil(m0 - 0.5));
        int to = Math.min(limitM - 1, (int) Math.floor(m1 - 0.5));
        double period = 2 * dash;
        // position within the dash period, updated step by step (the distance from the origin grows or
        // shrinks by perStep per pixel)
        double phase = 0;
        double dPhase = 0;
        if (dash > 0) {
            double d = Math.abs(from + 0.5 - origin) * perStep;
            phase = d - Math.floor(d / period) * period;
            dPhase = origin <= from + 0.5 ? perStep : -perStep;
            dPhase -= Math.floor(dPhase / period) * period; // as a forward step in [0, period)
        }
        for (int m = from; m <= to; m++) {
            double c = m + 0.5;
            if (dash > 0) {
                boolean gap = phase >= dash;
                phase += dPhase;
                if (phase >= period) {
                    phase -= period;
                }
                if (gap) {
                    continue;
                }
            }
            double n = n0 + (c - m0) * slope - 0.5;
            int ni = (int) Math.floor(n);
            double f = n - ni;
            int w2 = (int) (f * a);
            int w1 = a - w2;
            if (steep) {
                blend(ni, m, rgb, w1);
                blend(ni + 1, m, rgb, w2);
            } else {
                blend(m, ni, rgb, w1);
                blend(m, ni + 1, rgb, w2);
            }
        }
    }

    private void blend(int x, int y, int rgb, int a) {
        if (a <= 0 || x < 0 || y < 0 || x >= width || y >= height) {
            return;
        }
        int i = y * width + x;
        int d = argb[i];
        int inv = 256 - a;
        int r = (((d >> 16) & 0xFF) * inv + ((rgb >> 16) & 0xFF) * a) >> 8;
        int g = (((d >> 8) & 0xFF) * inv + ((rgb >> 8) & 0xFF) * a) >> 8;
        int b = ((d & 0xFF) * inv + (rgb & 0xFF) * a) >> 8;
        argb[i] = 0xFF000000 | r << 16 | g << 8 | b;
    }

    /** A filled antialiased disc. */
    void disc(double cx, double cy, double radius, int rgb) {
        ring(cx, cy, 0, radius, rgb, 1);
    }

    /** An antialiased annulus between radii {@code inner} and {@code outer}, at opacity {@code alpha}. */
    void ring(double cx, double cy, double inner, double outer, int rgb, double alpha) {
        int x0 = Math.max(0, (int) Math.floor(cx - outer - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(cx + outer + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - outer - 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + outer + 1));
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5 - cx;
                double r = Math.sqrt(px * px + py * py);
                double cov = Math.min(1, Math.max(0, outer + 0.5 - r));
                if (inner > 0) {
                    cov = Math.min(cov, Math.min(1, Math.max(0, r - inner + 0.5)));
                }
                if (cov > 0) {
                    blend(x, y, rgb, (int) Math.round(cov * alpha * 256));
                }
            }
        }
    }
}
