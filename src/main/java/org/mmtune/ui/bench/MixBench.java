package org.mmtune.ui.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import org.controlsfx.control.GridView;
import org.mmtune.ui.common.Perf;
import org.mmtune.ui.mix.MixResult;
import org.mmtune.ui.mix.MixView;
import org.mmtune.ui.mix.MixViewModel;
import org.mmtune.ui.mix.PatchItem;

/** {@code gui --bench} figures of the Mix view: resample to visible, and scrolling a 10,000-patch grid. */
final class MixBench {

    static final int GRID_PATCHES = 10_000;

    private MixBench() {
    }

    static List<String> run(AutoDriver d, MixView view) throws Exception {
        List<String> out = new ArrayList<>();
        MixViewModel vm = view.viewModel();
        // figures with the split's decoded images cached, as after the background warm-up that follows
        // opening a dataset (a resample then decodes nothing); the wait is reported
        long w0 = System.nanoTime();
        long waitUntil = w0 + TimeUnit.SECONDS.toNanos(120);
        while (org.mmtune.ui.common.DatasetAccess.warming() && System.nanoTime() < waitUntil) {
            Thread.sleep(50);
        }
        out.add(String.format("waited %.1f s for the decoded-image cache of the split to fill%s",
                (System.nanoTime() - w0) / 1e9, org.mmtune.ui.common.DatasetAccess.warming() ? " (gave up: still warming)" : ""));
        Perf.clear();
        int warmups = Integer.getInteger("mmtune.bench.mixWarmups", 5);
        int rounds = 10;
        List<Double> cpu = new ArrayList<>();
        java.util.Map<String, Long> threadsBefore = null;
        long processBefore = 0;
        long gcBefore = 0;
        long jitBefore = 0;
        StallMonitor.phaseIfRunning("Mix: resample + regraph (new seed)");
        // the first resamples are warm-ups (code being compiled, heap settling), left out of the figures:
        // a live preview runs in a long-lived window
        for (int i = -warmups; i < rounds; i++) {
            if (i == 0) {
                Perf.clear();
                cpu.clear();
                threadsBefore = threadCpu();
                processBefore = processCpuNanos();
                gcBefore = gcMillis();
                jitBefore = jitMillis();
            }
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
        out.add(whereCpuWent(threadsBefore, threadCpu(), processCpuNanos() - processBefore, rounds)
                + String.format("; GC pauses %.1f ms, JIT compiling %.1f ms", (gcMillis() - gcBefore) / (double) rounds,
                (jitMillis() - jitBefore) / (double) rounds));
        MixResult r = d.fx(() -> vm.resultProperty().get());
        out.add(String.format("batch of %d patches from %d images, %d resamples (new seed each) after %d warm-ups",
                r.batch().size(), r.batch().imageIndices().length, rounds, warmups));
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
        // the bench puts its patches into the view's grid itself and puts the view's own back afterwards
        List<PatchItem> own = d.fx(() -> List.copyOf(view.items()));
        String ownCount = d.fx(() -> count(view).getText());
        d.fx(() -> {
            view.items().setAll(many);
            count(view).setText(many.size() + " patches (benchmark)");
            return null;
        });
        d.awaitIdle(10);
        Thread.sleep(300);
        StallMonitor.phaseIfRunning("Mix: scrolling the " + GRID_PATCHES + "-patch grid");
        long c0 = processCpuNanos();
        List<Double> frames = scroll(d, view, 4.0);
        double cpuPerFrame = (processCpuNanos() - c0) / 1e6 / Math.max(1, frames.size());
        d.fx(() -> {
            view.items().setAll(own);
            count(view).setText(ownCount);
            return null;
        });
        out.add(String.format("%d-patch grid, scrolled top to bottom in 4 s: %d frames, %s", GRID_PATCHES,
                frames.size(), stats(frames)) + ", frames > 50 ms: " + frames.stream().filter(f -> f > 50).count()
                + String.format(", process CPU %.1f ms per frame", cpuPerFrame));
        return out;
    }

    /** The view's patch grid (by its id). */
    private static GridView<?> grid(MixView view) {
        return (GridView<?>) view.lookup("#patch-grid");
    }

    /** The view's "N of M patches" label (by its id). */
    private static Label count(MixView view) {
        return (Label) view.lookup("#patch-count");
    }

    private static List<Double> scroll(AutoDriver d, MixView view, double seconds) throws Exception {
        CompletableFuture<List<Double>> done = new CompletableFuture<>();
        d.fx(() -> {
            ScrollBar bar = null;
            for (Node n : grid(view).lookupAll(".scroll-bar")) {
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

    /** CPU time (ns) of each live Java thread, by thread name with numbers folded ("mmtune-bg-#"). */
    static java.util.Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            long c = mx.getThreadCpuTime(ti.getThreadId());
            if (c > 0) {
                m.merge(ti.getThreadName().replaceAll("\\d+", "#") + "@" + ti.getThreadId(), c, Long::sum);
            }
        }
        return m;
    }

    /** Per resample: CPU of the busiest threads, and the rest of the process (GC, JIT, native threads). */
    static String whereCpuWent(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long process,
                               int rounds) {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        long javaThreads = 0;
        for (var e : after.entrySet()) {
            long dlt = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            javaThreads += dlt;
            byName.merge(e.getKey().substring(0, e.getKey().lastIndexOf('@')), dlt, Long::sum);
        }
        StringBuilder sb = new StringBuilder("CPU per resample by thread:");
        byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                .forEach(e -> sb.append(String.format(" %s %.1f ms,", e.getKey(), e.getValue() / 1e6 / rounds)));
        sb.append(String.format(" other (GC, JIT, native) %.1f ms", Math.max(0, process - javaThreads) / 1e6 / rounds));
        return sb.toString();
    }

    static long gcMillis() {
        long t = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    static long jitMillis() {
        var c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
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
