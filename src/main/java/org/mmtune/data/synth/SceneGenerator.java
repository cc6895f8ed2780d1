package org.mmtune.data.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.mmtune.data.ClassInfo;

/**
 * Seeded generator of synthetic street scenes with pixel labels. Seven classes that differ in shape,
 * colour and texture, so that colorization, patch matching and segmentation all have something to learn:
 * <ul>
 *   <li>0 other (the background class): paving tiles with grout lines, poles and bins;</li>
 *   <li>1 sky: smooth vertical gradient with soft clouds;</li>
 *   <li>2 building: blocks in brick/stone colours with regular window grids;</li>
 *   <li>3 road: a perspective trapezoid of fine-grained asphalt with dashed and edge lane marks;</li>
 *   <li>4 tree: trunks with round, leafy, high-frequency textured crowns;</li>
 *   <li>5 car: rounded boxes in saturated paint with dark glass and wheels;</li>
 *   <li>6 person: thin upright figures (head, shirt, legs).</li>
 * </ul>
 * The outlines of cars and persons are void (255) in the labels, as in VOC. Everything is integer or
 * strict floating-point arithmetic on {@link Random} and a hash, so the same seed gives the same pixels
 * on every machine.
 */
public final class SceneGenerator {

    public static final int OTHER = 0;
    public static final int SKY = 1;
    public static final int BUILDING = 2;
    public static final int ROAD = 3;
    public static final int TREE = 4;
    public static final int CAR = 5;
    public static final int PERSON = 6;
    public static final int VOID = 255;

    /** The classes of the generated dataset (index, name, display colour). */
    public static final List<ClassInfo> CLASSES = List.of(
            new ClassInfo(OTHER, "other", 0x9a8f7e),
            new ClassInfo(SKY, "sky", 0x6fa8dc),
            new ClassInfo(BUILDING, "building", 0xa0522d),
            new ClassInfo(ROAD, "road", 0x505050),
            new ClassInfo(TREE, "tree", 0x2e8b2e),
            new ClassInfo(CAR, "car", 0xe0c020),
            new ClassInfo(PERSON, "person", 0xd03070));

    /** One generated scene: interleaved RGB and one label byte per pixel. */
    public record Scene(int width, int height, byte[] rgb, byte[] labels) {
    }

    private final int width;
    private final int height;

    public SceneGenerator(int width, int height) {
        if (width < 32 || height < 32 || (long) width * height > 16_000_000L) {
            throw new IllegalArgumentException("scene size must be between 32x32 and 16 megapixels, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    /** Generates the scene for a seed (same seed, same scene). */
    public Scene generate(long seed) {
        return new Painter(width, height, seed).paint();
    }

    // ---------------------------------------------------------------------------------------------
    private static final class Painter {
        final int w;
        final int h;
        final Random rnd;
        final long noiseSeed;
        final int[] r;
        final int[] g;
        final int[] b;
        final byte[] lab;

        Painter(int w, int h, long seed) {
            this.w = w;
            this.h = h;
            this.rnd = new Random(seed);
            this.noiseSeed = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
            this.r = new int[w * h];
            this.g = new int[w * h];
            this.b = new int[w * h];
            this.lab = new byte[w * h];
        }

        void set(int x, int y, int cls, int rr, int gg, int bb) {
            if (x < 0 || y < 0 || x >= w || y >= h) {
                return;
            }
            int i = y * w + x;
            lab[i] = (byte) cls;
            r[i] = rr;
            g[i] = gg;
            b[i] = bb;
        }

        double u(double lo, double hi) {
            return lo + (hi - lo) * rnd.nextDouble();
        }

        int ui(int lo, int hiInclusive) {
            return lo + rnd.nextInt(hiInclusive - lo + 1);
        }

        Scene paint() {
            int horizon = (int) (h * u(0.36, 0.50));
            sky(horizon);
            ground(horizon);
            buildings(horizon);
            double vx = w / 2.0 + u(-0.15, 0.15) * w;
            double bottomHalf = w * u(0.28, 0.48);
            road(horizon, vx, bottomHalf);
            clutter(horizon, vx, bottomHalf);
            trees(horizon, vx, bottomHalf);
            List<Runnable> objects = new ArrayList<>();
            cars(horizon, vx, bottomHalf, objects);
            persons(horizon, vx, bottomHalf, objects);
            objects.forEach(Runnable::run);
            outlines();
            return finish();
        }

        // --- classes ---------------------------------------------------------------------------
        void sky(int horizon) {
            int[] top = {ui(30, 70), ui(80, 130), ui(170, 230)};
            int[] low = {ui(170, 210), ui(195, 225), ui(225, 250)};
            double cloudiness = u(0.0, 0.45);
            double sx = u(30, 60);
            double sy = u(12, 22);
            for (int y = 0; y < horizon; y++) {
                double t = (double) y / Math.max(1, horizon);
                for (int x = 0; x < w; x++) {
                    double c = Noise.value(noiseSeed + 1, x / sx, y / sy) * 0.7 + Noise.value(noiseSeed + 2, x / (sx / 3), y / (sy / 3)) * 0.3;
                    double cloud = clamp01((c - (1 - cloudiness)) * 3.0);
                    int rr = (int) (lerp(top[0], low[0], t) * (1 - cloud) + 245 * cloud);
                    int gg = (int) (lerp(top[1], low[1], t) * (1 - cloud) + 245 * cloud);
                    int bb = (int) (lerp(top[2], low[2], t) * (1 - cloud) + 248 * cloud);
                    set(x, y, SKY, rr, gg, bb);
                }
            }
        }

        void ground(int horizon) {
            int[] base = {ui(140, 185), ui(130, 165), ui(110, 140)};
            for (int y = horizon; y < h; y++) {
                double t = (double) (y - horizon) / Math.max(1, h - horizon);
                int tile = 4 + (int) (14 * t);
                int ty = (y - horizon) / tile;
                int offset = (ty & 1) * tile / 2;
                for (int x = 0; x < w; x++) {
                    int tx = (x + offset) / tile;
                    boolean grout = (x + offset) % tile == 0 || (y - horizon) % tile == 0;
                    double v = (Noise.hash01(noiseSeed + 3, tx, ty) - 0.5) * 30;
                    double f = (Noise.hash01(noiseSeed + 4, x, y) - 0.5) * 8;
                    int d = grout ? -45 : 0;
                    set(x, y, OTHER, (int) (base[0] + v + f + d), (int) (base[1] + v + f + d), (int) (base[2] + v * 0.8 + f + d));
                }
            }
        }

        void buildings(int horizon) {
            int[][] palette = {{150, 70, 50}, {200, 180, 140}, {130, 130, 138}, {222, 212, 190}, {100, 110, 132},
                {170, 110, 80}};
            int x = ui(-20, 0);
            while (x < w) {
                int bw = ui(30, 95);
                if (rnd.nextDouble() < 0.15) {
                    x += bw / 2; // a gap shows the sky
                    continue;
                }
                int top = horizon - ui(18, Math.max(20, horizon - 8));
                int bottom = horizon + ui(4, 14);
                int[] c = palette[rnd.nextInt(palette.length)];
                int jr = ui(-15, 15);
                int jg = ui(-15, 15);
                int jb = ui(-15, 15);
                int sxw = ui(9, 14);
                int syw = ui(11, 16);
                int ww = ui(4, sxw - 4);
                int wh = ui(5, syw - 4);
                boolean brick = rnd.nextBoolean();
                long bseed = rnd.nextLong();
                for (int y = Math.max(0, top); y < Math.min(h, bottom); y++) {
                    double shade = 1.0 - 0.15 * (y - top) / Math.max(1.0, bottom - top);
                    for (int xx = Math.max(0, x); xx < Math.min(w, x + bw); xx++) {
                        int lx = xx - x - 4;
                        int ly = y - top - 5;
                        int rr = (int) ((c[0] + jr) * shade);
                        int gg = (int) ((c[1] + jg) * shade);
                        int bb = (int) ((c[2] + jb) * shade);
                        if (brick && ((y - top) % 4 == 0 || ((xx - x) + ((y - top) / 4 % 2) * 4) % 8 == 0)) {
                            rr -= 18;
                            gg -= 18;
                            bb -= 18;
                        }
                        boolean inWindowArea = lx >= 0 && ly >= 0 && xx < x + bw - 4 && y < horizon - 2;
                        if (inWindowArea && lx % sxw < ww && ly % syw < wh) {
                            boolean lit = Noise.hash01(bseed, lx / sxw, ly / syw) < 0.25;
                            if (lit) {
                                rr = 235;
                                gg = 215;
                                bb = 130;
                            } else {
                                rr = 45;
                                gg = 55;
                                bb = 75;
                            }
                        }
                        set(xx, y, BUILDING, rr, gg, bb);
                    }
                }
                x += bw;
            }
        }

        void road(int horizon, double vx, double bottomHalf) {
            int base = ui(65, 100);
            for (int y = horizon; y < h; y++) {
                double t = (double) (y - horizon) / Math.max(1, h - horizon);
                double half = 2 + t * bottomHalf;
                double markW = 0.6 + t * 3.5;
                int dash = (int) (10.0 / (t + 0.08)) & 1;
                for (int x = (int) Math.floor(vx - half); x <= (int) Math.ceil(vx + half); x++) {
                    double dx = x - vx;
                    if (Math.abs(dx) > half) {
                        continue;
                    }
                    double n = (Noise.hash01(noiseSeed + 5, x, y) - 0.5) * 22
                            + (Noise.value(noiseSeed + 6, x / 25.0, y / 8.0) - 0.5) * 14;
                    int v = (int) (base + n);
                    int rr = v;
                    int gg = v;
                    int bb = v + 3;
                    boolean centre = Math.abs(dx) < markW && dash == 0;
                    boolean edge = Math.abs(dx) > half - markW * 1.6 && Math.abs(dx) < half - markW * 0.6;
                    if (centre || edge) {
                        rr = 225 + (int) (n / 3);
                        gg = 225 + (int) (n / 3);
                        bb = 215 + (int) (n / 3);
                    }
                    set(x, y, ROAD, rr, gg, bb);
                }
            }
        }

        void clutter(int horizon, double vx, double bottomHalf) {
            int n = ui(1, 3);
            for (int k = 0; k < n; k++) {
                int yb = horizon + (int) (u(0.15, 0.9) * (h - horizon));
                double t = (double) (yb - horizon) / Math.max(1, h - horizon);
                double half = 2 + t * bottomHalf;
                int side = rnd.nextBoolean() ? 1 : -1;
                int x0 = (int) (vx + side * (half + u(4, 30)));
                if (rnd.nextBoolean()) { // pole with a sign
                    int ph = (int) ((40 + 60 * t) * u(0.8, 1.2));
                    int pw = Math.max(2, (int) (2 + 3 * t));
                    fillRect(x0, yb - ph, pw, ph, OTHER, 110, 112, 118);
                    int s = (int) (8 + 10 * t);
                    int[] sc = rnd.nextBoolean() ? new int[] {30, 70, 170} : new int[] {200, 40, 40};
                    fillRect(x0 - s / 2 + pw / 2, yb - ph - s, s, s, OTHER, sc[0], sc[1], sc[2]);
                } else { // bin
                    int bw = (int) (8 + 14 * t);
                    int bh = (int) (bw * 1.3);
                    fillRect(x0, yb - bh, bw, bh, OTHER, 40, 95, 60);
                    fillRect(x0 - 1, yb - bh, bw + 2, Math.max(2, bh / 8), OTHER, 25, 60, 40);
                }
            }
        }

        void trees(int horizon, double vx, double bottomHalf) {
            int n = ui(1, 4);
            for (int k = 0; k < n; k++) {
                int yb = horizon + ui(2, Math.max(3, (h - horizon) / 3));
                double t = (double) (yb - horizon) / Math.max(1, h - horizon);
                double half = 2 + t * bottomHalf;
                int side = rnd.nextBoolean() ? 1 : -1;
                int cx = (int) (vx + side * (half + u(10, w * 0.45)));
                double s = (0.7 + 1.4 * t) * u(0.8, 1.3);
                int th = (int) (45 * s);
                int tw = Math.max(3, (int) (5 * s));
                fillRect(cx - tw / 2, yb - th, tw, th, TREE, 95, 65, 40);
                int blobs = ui(6, 10);
                double cy = yb - th - 10 * s;
                int[] green = {ui(35, 80), ui(95, 150), ui(25, 60)};
                long tseed = rnd.nextLong();
                for (int q = 0; q < blobs; q++) {
                    double bx = cx + u(-18, 18) * s;
                    double by = cy + u(-14, 10) * s;
                    double rad = u(9, 17) * s;
                    for (int y = (int) (by - rad); y <= (int) (by + rad); y++) {
                        for (int x = (int) (bx - rad); x <= (int) (bx + rad); x++) {
                            double dx = x - bx;
                            double dy = y - by;
                            if (dx * dx + dy * dy <= rad * rad) {
                                double leaf = Noise.value(tseed, x / 2.5, y / 2.5);
                                double f = 0.55 + 0.75 * leaf + (Noise.hash01(tseed + 1, x, y) - 0.5) * 0.25;
                                set(x, y, TREE, (int) (green[0] * f), (int) (green[1] * f), (int) (green[2] * f));
                            }
                        }
                    }
                }
            }
        }

        void cars(int horizon, double vx, double bottomHalf, List<Runnable> objects) {
            int n = ui(1, 4);
            int[][] paints = {{200, 30, 30}, {30, 60, 190}, {230, 200, 30}, {235, 235, 235}, {30, 30, 35},
                {40, 140, 70}, {240, 120, 20}};
            List<double[]> cars = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                double t = u(0.2, 1.0);
                double yb = horizon + t * (h - horizon);
                double half = 2 + t * bottomHalf;
                double cw = 75 * (0.3 + 0.9 * t) * u(0.85, 1.2);
                double cx = vx + u(-0.65, 0.65) * half;
                cars.add(new double[] {yb, cx, cw, rnd.nextInt(paints.length)});
            }
            cars.sort(Comparator.comparingDouble(c -> c[0]));
            for (double[] c : cars) {
                objects.add(() -> car(c[1], c[0], c[2], paints[(int) c[3]]));
            }
        }

        void car(double cx, double yb, double cw, int[] paint) {
            double ch = cw * 0.5;
            double x0 = cx - cw / 2;
            double wheelR = ch * 0.22;
            double bodyTop = yb - wheelR - ch * 0.55;
            double bodyBottom = yb - wheelR * 0.6;
            double radius = ch * 0.18;
            // cabin (glass) above the body
            double cabTop = bodyTop - ch * 0.38;
            for (int y = (int) cabTop; y <= (int) bodyBottom; y++) {
                for (int x = (int) x0; x <= (int) (x0 + cw); x++) {
                    double px = x + 0.5;
                    double py = y + 0.5;
                    if (py >= bodyTop) {
                        if (inRoundRect(px, py, x0, bodyTop, cw, bodyBottom - bodyTop, radius)) {
                            double shade = 1.1 - 0.35 * (py - bodyTop) / (bodyBottom - bodyTop);
                            set(x, y, CAR, (int) (paint[0] * shade), (int) (paint[1] * shade), (int) (paint[2] * shade));
                        }
                    } else {
                        double f = (bodyTop - py) / (bodyTop - cabTop);
                        double inset = cw * (0.14 + 0.12 * f);
                        if (px >= x0 + inset && px <= x0 + cw - inset) {
                            boolean frame = px < x0 + inset + 2 || px > x0 + cw - inset - 2 || f > 0.85
                                    || Math.abs(px - cx) < 1.2;
                            if (frame) {
                                set(x, y, CAR, (int) (paint[0] * 0.8), (int) (paint[1] * 0.8), (int) (paint[2] * 0.8));
                            } else {
                                set(x, y, CAR, 55 + (int) (40 * f), 75 + (int) (40 * f), 105 + (int) (40 * f));
                            }
                        }
                    }
                }
            }
            for (double wx : new double[] {x0 + cw * 0.22, x0 + cw * 0.78}) {
                double wy = yb - wheelR;
                for (int y = (int) (wy - wheelR); y <= (int) (wy + wheelR); y++) {
                    for (int x = (int) (wx - wheelR); x <= (int) (wx + wheelR); x++) {
                        double dx = x + 0.5 - wx;
                        double dy = y + 0.5 - wy;
                        double d2 = dx * dx + dy * dy;
                        if (d2 <= wheelR * wheelR) {
                            int v = d2 < wheelR * wheelR * 0.2 ? 150 : 25;
                            set(x, y, CAR, v, v, v);
                        }
                    }
                }
            }
        }

        void persons(int horizon, double vx, double bottomHalf, List<Runnable> objects) {
            int n = ui(0, 3);
            for (int k = 0; k < n; k++) {
                double t = u(0.1, 0.95);
                int yb = (int) (horizon + t * (h - horizon));
                double half = 2 + t * bottomHalf;
                int side = rnd.nextBoolean() ? 1 : -1;
                double cx = vx + side * (half + u(3, 40));
                double ph = (25 + 70 * t) * u(0.85, 1.15);
                int[] shirt = {ui(20, 240), ui(20, 240), ui(20, 240)};
                int[] skin = rnd.nextBoolean() ? new int[] {225, 185, 150} : new int[] {120, 85, 60};
                int[] legs = {ui(20, 60), ui(20, 60), ui(40, 90)};
                objects.add(() -> person(cx, yb, ph, shirt, skin, legs));
            }
        }

        void person(double cx, int yb, double ph, int[] shirt, int[] skin, int[] legs) {
            double bw = ph * 0.26;
            double headR = ph * 0.09;
            int legTop = (int) (yb - ph * 0.45);
            int torsoTop = (int) (yb - ph * 0.80);
            double lw = Math.max(1.5, bw * 0.38);
            fillRect((int) (cx - bw * 0.45), legTop, (int) Math.ceil(lw), yb - legTop, PERSON, legs[0], legs[1], legs[2]);
            fillRect((int) (cx + bw * 0.45 - lw), legTop, (int) Math.ceil(lw), yb - legTop, PERSON, legs[0], legs[1], legs[2]);
            fillRect((int) (cx - bw / 2), torsoTop, (int) Math.ceil(bw), legTop - torsoTop, PERSON, shirt[0], shirt[1], shirt[2]);
            double hy = torsoTop - headR * 0.9;
            for (int y = (int) (hy - headR); y <= (int) (hy + headR); y++) {
                for (int x = (int) (cx - headR); x <= (int) (cx + headR); x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - hy;
                    if (dx * dx + dy * dy <= headR * headR) {
                        boolean hair = dy < -headR * 0.3;
                        set(x, y, PERSON, hair ? 50 : skin[0], hair ? 35 : skin[1], hair ? 25 : skin[2]);
                    }
                }
            }
        }

        /** Object outlines (car, person pixels next to another class) become void in the labels. */
        void outlines() {
            byte[] copy = lab.clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int c = copy[y * w + x];
                    if (c != CAR && c != PERSON) {
                        continue;
                    }
                    boolean edge = (x > 0 && copy[y * w + x - 1] != c) || (x < w - 1 && copy[y * w + x + 1] != c)
                            || (y > 0 && copy[(y - 1) * w + x] != c) || (y < h - 1 && copy[(y + 1) * w + x] != c);
                    if (edge) {
                        lab[y * w + x] = (byte) VOID;
                    }
                }
            }
        }

        Scene finish() {
            byte[] rgb = new byte[3 * w * h];
            for (int i = 0; i < w * h; i++) {
                int x = i % w;
                int y = i / w;
                int n = (int) ((Noise.hash01(noiseSeed + 9, x, y) - 0.5) * 6);
                rgb[3 * i] = (byte) clamp(r[i] + n);
                rgb[3 * i + 1] = (byte) clamp(g[i] + n);
                rgb[3 * i + 2] = (byte) clamp(b[i] + n);
            }
            return new Scene(w, h, rgb, lab);
        }

        // --- helpers -----------------------------------------------------------------------------
        void fillRect(int x0, int y0, int rw, int rh, int cls, int rr, int gg, int bb) {
            for (int y = y0; y < y0 + rh; y++) {
                for (int x = x0; x < x0 + rw; x++) {
                    set(x, y, cls, rr, gg, bb);
                }
            }
        }

        static boolean inRoundRect(double px, double py, double x, double y, double rw, double rh, double rad) {
            if (px < x || px > x + rw || py < y || py > y + rh) {
                return false;
            }
            double cx = Math.min(Math.max(px, x + rad), x + rw - rad);
            double cy = Math.min(Math.max(py, y + rad), y + rh - rad);
            double dx = px - cx;
            double dy = py - cy;
            return dx * dx + dy * dy <= rad * rad;
        }

        static double lerp(double a, double b2, double t) {
            return a + (b2 - a) * t;
        }

        static double clamp01(double v) {
            return v < 0 ? 0 : v > 1 ? 1 : v;
        }

        static int clamp(int v) {
            return v < 0 ? 0 : v > 255 ? 255 : v;
        }
    }

    /** Deterministic hash and value noise (no transcendental functions, so identical everywhere). */
    static final class Noise {
        private Noise() {
        }

        static double hash01(long seed, int x, int y) {
            long z = seed ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            return (z >>> 11) * 0x1.0p-53;
        }

        static double value(long seed, double x, double y) {
            int x0 = (int) Math.floor(x);
            int y0 = (int) Math.floor(y);
            double fx = x - x0;
            double fy = y - y0;
            double sx = fx * fx * (3 - 2 * fx);
            double sy = fy * fy * (3 - 2 * fy);
            double a = hash01(seed, x0, y0);
            double b = hash01(seed, x0 + 1, y0);
            double c = hash01(seed, x0, y0 + 1);
            double d = hash01(seed, x0 + 1, y0 + 1);
            double top = a + (b - a) * sx;
            double bot = c + (d - c) * sx;
            return top + (bot - top) * sy;
        }
    }
}
