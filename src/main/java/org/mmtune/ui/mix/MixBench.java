package org.mmtune.ui.mix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ScrollBar;
import org.mmtune.ui.AutoDriver;
import org.mmtune.ui.common.Perf;
import org.mmtune.ui.common.StallMonitor;

/** {@code gui --bench} figures of the Mix view: resample to visible, and scrolling a 10,000-patch grid. */
final class MixBench {

    static final int GRID_PATCHES = 10_000;

    private MixBench() {
    }

    static List<String> run(AutoDriver d, MixView view) throws Exception {
        List<String> out = new ArrayList<>();
        MixViewModel vm = view.viewModel();
        Perf.clear();
        int rounds = 10;
        List<Double> cpu = new ArrayList<>();
        StallMonitor.phaseIfRunning("Mix: resample + regraph (new seed)");
        for (int i = 0; i < rounds; i++) {
            long c0 = processCpuNanos();
            MixResult before = d.fx(() -> vm.resultProperty().get());
            d.fx(() -> {
                vm.newSeed();
                return null;
            });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (d.fx(() -> vm.resultProperty().get()) == before && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            d.awaitIdle(30);
            cpu.add((processCpuNanos() - c0) / 1e6);
        }
        MixResult r = d.fx(() -> vm.resultProperty().get());
        out.add(String.format("batch of %d patches from %d images, %d resamples (new seed each)",
                r.batch().size(), r.batch().imageIndices().length, rounds));
        out.add(line("decode+sample+crop", Perf.figures("mix: decode+sample+crop")));
        out.add(line("change → patch grid visible", Perf.figures("mix: change → grid visible")));
        out.add(line("change → match graph visible", Perf.figures("match: change → graph visible")));
        out.add(line("process CPU time per resample (all threads, incl. rendering)", cpu));

        // a 10,000-patch grid: the batch's patches repeated, scrolled top to bottom one frame at a time
        List<PatchItem> many = new ArrayList<>(GRID_PATCHES);
        for (int i = 0; i < GRID_PATCHES; i++) {
            PatchItem it = d.fx(() -> view.items()).get(i % r.batch().size());
            many.add(new PatchItem(i, it.patch(), it.thumb()));
        }
        d.fx(() -> {
            view.setBenchItems(many);
            return null;
        });
        d.awaitIdle(10);
        Thread.sleep(300);
        StallMonitor.phaseIfRunning("Mix: scrolling the " + GRID_PATCHES + "-patch grid");
        long c0 = processCpuNanos();
        List<Double> frames = scroll(d, view, 4.0);
        double cpuPerFrame = (processCpuNanos() - c0) / 1e6 / Math.max(1, frames.size());
        d.fx(() -> {
            view.setBenchItems(null);
            return null;
        });
        out.add(String.format("%d-patch grid, scrolled top to bottom in 4 s: %d frames, %s", GRID_PATCHES,
                frames.size(), stats(frames)) + ", frames > 50 ms: " + frames.stream().filter(f -> f > 50).count()
                + String.format(", process CPU %.1f ms per frame", cpuPerFrame));
        return out;
    }

    private static List<Double> scroll(AutoDriver d, MixView view, double seconds) throws Exception {
        CompletableFuture<List<Double>> done = new CompletableFuture<>();
        d.fx(() -> {
            ScrollBar bar = null;
            for (Node n : view.grid().lookupAll(".scroll-bar")) {
                if (n instanceof ScrollBar sb && sb.getOrientation() == Orientation.VERTICAL) {
                    bar = sb;
                }
            }
            if (bar == null) {
                done.completeExceptionally(new IllegalStateException("patch grid has no vertical scroll bar"));
                return null;
            }
            ScrollBar sb = bar;
            List<Double> frames = new ArrayList<>();
            AnimationTimer timer = new AnimationTimer() {
                long start = -1;
                long last = -1;

                @Override
                public void handle(long now) {
                    if (start < 0) {
                        start = now;
                        last = now;
                        return;
                    }
                    frames.add((now - last) / 1e6);
                    last = now;
                    double t = (now - start) / 1e9 / seconds;
                    sb.setValue(sb.getMin() + Math.min(1, t) * (sb.getMax() - sb.getMin()));
                    if (t >= 1) {
                        stop();
                        done.complete(frames);
                    }
                }
            };
            timer.start();
            return null;
        });
        return done.get(60, TimeUnit.SECONDS);
    }

    /** CPU time of the whole process so far (ns), or 0 when the JVM does not tell. */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    static String line(String what, List<Double> v) {
        return what + ": " + stats(v);
    }

    static String stats(List<Double> v) {
        if (v.isEmpty()) {
            return "no figures";
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return String.format("median %.1f ms, max %.1f ms (n=%d)", s.get(s.size() / 2), s.get(s.size() - 1), s.size());
    }
}
