package org.mmtune.ui.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import org.mmtune.ui.match.GraphCanvas;
import org.mmtune.ui.match.MatchResult;
import org.mmtune.ui.match.MatchView;

/** {@code gui --bench} figures of the Match view: redraw time of the graph and frame times while panning. */
final class MatchBench {

    private MatchBench() {
    }

    static List<String> run(AutoDriver d, MatchView view) throws Exception {
        List<String> out = new ArrayList<>();
        GraphCanvas c = view.canvas();
        MatchResult r = d.fx(() -> view.viewModel().resultProperty().get());
        if (r == null) {
            out.add("no graph to measure");
            return out;
        }
        StallMonitor.phaseIfRunning("Match: 100 redraws, then zooming for 2 s");
        List<Double> draws = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            draws.add(d.fx(() -> {
                c.redraw();
                return c.lastDrawMs();
            }));
        }
        out.add(String.format("redraw of %d nodes, %d positive + %d negative edges (canvas commands): %s",
                r.graph().size(), r.positiveEdges().length, r.negativeEdges().length, stats(draws)));
        // frames while zooming continuously: includes rendering of the canvas
        long c0 = cpu();
        CompletableFuture<List<Double>> done = new CompletableFuture<>();
        d.fx(() -> {
            List<Double> frames = new ArrayList<>();
            new AnimationTimer() {
                long start = -1;
                long last;

                @Override
                public void handle(long now) {
                    if (start < 0) {
                        start = now;
                        last = now;
                        return;
                    }
                    frames.add((now - last) / 1e6);
                    last = now;
                    double t = (now - start) / 1e9;
                    c.zoomAt(1 + 0.002 * Math.sin(t * 3), c.getWidth() / 2, c.getHeight() / 2);
                    if (t > 2) {
                        stop();
                        c.fit();
                        done.complete(frames);
                    }
                }
            }.start();
            return null;
        });
        List<Double> frames = done.get(30, TimeUnit.SECONDS);
        double cpuPerFrame = (cpu() - c0) / 1e6 / Math.max(1, frames.size());
        out.add("frame interval while zooming for 2 s (redraw every frame): " + stats(frames)
                + String.format(", process CPU %.1f ms per frame", cpuPerFrame));
        return out;
    }

    static long cpu() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    static String stats(List<Double> v) {
        if (v.isEmpty()) {
            return "no figures";
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return String.format("median %.2f ms, max %.2f ms (n=%d)", s.get(s.size() / 2), s.get(s.size() - 1), s.size());
    }
}
