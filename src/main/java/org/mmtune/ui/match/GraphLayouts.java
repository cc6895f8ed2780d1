package org.mmtune.ui.match;

import java.util.SplittableRandom;

/** Node positions for the graph canvas (plain Java, any thread). Positions roughly span [-1, 1]². */
public final class GraphLayouts {

    private GraphLayouts() {
    }

    /**
     * Class clusters, force directed: classes start on a circle, nodes near their class's centre; then
     * all nodes repel, positive edges pull like springs and each node is drawn to its class centre.
     */
    public static double[][] classClusters(int[] labels, int[][] positiveEdges, long seed) {
        int n = labels.length;
        double[][] p = new double[n][2];
        if (n == 0) {
            return p;
        }
        int maxLabel = 0;
        for (int l : labels) {
            maxLabel = Math.max(maxLabel, l);
        }
        int[] count = new int[maxLabel + 1];
        for (int l : labels) {
            count[l]++;
        }
        int present = 0;
        for (int c : count) {
            if (c > 0) {
                present++;
            }
        }
        double[][] centre = new double[maxLabel + 1][2];
        int slot = 0;
        for (int c = 0; c <= maxLabel; c++) {
            if (count[c] > 0) {
                double a = 2 * Math.PI * slot++ / present;
                double r = present == 1 ? 0 : 0.62;
                centre[c][0] = r * Math.cos(a);
                centre[c][1] = r * Math.sin(a);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble() * 2 * Math.PI;
            double r = 0.15 * Math.sqrt(rng.nextDouble() * count[labels[i]] / (double) n * present);
            p[i][0] = centre[labels[i]][0] + r * Math.cos(a);
            p[i][1] = centre[labels[i]][1] + r * Math.sin(a);
        }
        // ideal distance between neighbours, so the n nodes fill about the unit disc
        double k = 1.1 / Math.sqrt(n);
        int iterations = (int) Math.max(8, Math.min(90, 9e6 / ((double) n * n)));
        double temperature = 0.08;
        double[][] disp = new double[n][2];
        for (int it = 0; it < iterations; it++) {
            for (double[] d : disp) {
                d[0] = 0;
                d[1] = 0;
            }
            for (int i = 0; i < n; i++) {
                double xi = p[i][0];
                double yi = p[i][1];
                for (int j = i + 1; j < n; j++) {
                    double dx = xi - p[j][0];
                    double dy = yi - p[j][1];
                    double d2 = dx * dx + dy * dy + 1e-9;
                    if (d2 > 16 * k * k) {
                        continue; // far apart: negligible
                    }
                    double f = k * k / d2;
                    disp[i][0] += dx * f;
                    disp[i][1] += dy * f;
                    disp[j][0] -= dx * f;
                    disp[j][1] -= dy * f;
                }
            }
            for (int[] e : positiveEdges) {
                int a = e[0];
                int b = e[1];
                double dx = p[a][0] - p[b][0];
                double dy = p[a][1] - p[b][1];
                double d = Math.sqrt(dx * dx + dy * dy) + 1e-9;
                double f = d / k;
                disp[a][0] -= dx / d * f * k;
                disp[a][1] -= dy / d * f * k;
                disp[b][0] += dx / d * f * k;
                disp[b][1] += dy / d * f * k;
            }
            for (int i = 0; i < n; i++) {
                double[] c = centre[labels[i]];
                disp[i][0] += (c[0] - p[i][0]) * 0.6;
                disp[i][1] += (c[1] - p[i][1]) * 0.6;
                double len = Math.hypot(disp[i][0], disp[i][1]) + 1e-12;
                double step = Math.min(len, temperature);
                p[i][0] += disp[i][0] / len * step;
                p[i][1] += disp[i][1] / len * step;
            }
            temperature *= 0.95;
        }
        return normalise(p);
    }

    /** Scales positions into [-1, 1]² keeping the aspect ratio. */
    public static double[][] normalise(double[][] p) {
        if (p.length == 0) {
            return p;
        }
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] q : p) {
            minX = Math.min(minX, q[0]);
            maxX = Math.max(maxX, q[0]);
            minY = Math.min(minY, q[1]);
            maxY = Math.max(maxY, q[1]);
        }
        double s = Math.max(maxX - minX, maxY - minY);
        s = s < 1e-12 ? 1 : s;
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        double[][] out = new double[p.length][2];
        for (int i = 0; i < p.length; i++) {
            out[i][0] = (p[i][0] - cx) / s * 2;
            out[i][1] = (p[i][1] - cy) / s * 2;
        }
        return out;
    }
}
