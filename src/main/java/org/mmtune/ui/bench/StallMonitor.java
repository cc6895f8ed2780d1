package org.mmtune.ui.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how long the FX thread is blocked. A watchdog thread posts a ping ({@link Platform#runLater})
 * every {@code period} whenever none is outstanding; the FX thread answers it, and the time between two
 * consecutive answers is one <em>gap</em>. While the FX thread is free the gaps are about one period
 * (the resolution); anything that keeps it busy (a long event handler, layout, CSS, rendering a pulse)
 * lengthens the gap that spans it, so a block of d ms always shows as a gap of at least d ms.
 *
 * <p>Gaps are recorded per <em>phase</em> (a label the caller sets: "open dataset", "Mix: resample", …)
 * and summarised as percentiles and the worst stall. Each gap also records the FX thread's CPU time in it
 * (a gap long on the wall clock but short on CPU means the thread was waiting for a core, not working:
 * telling the two apart matters on a loaded machine). While a ping has waited longer than
 * {@link #STACK_AFTER_MS}, the watchdog samples the FX thread's stack at every tick, so the report names
 * the place the FX thread was busy in most. A sample that finds the FX thread waiting for the render thread
 * to finish the previous frame counts as <em>waiting for the renderer</em>: with a software renderer on a
 * busy machine a big frame can take hundreds of milliseconds to paint, and the next pulse waits for it; the
 * report gives that share of each stall and the worst stall without it (the FX thread's own blocking).
 * Thread-safe; {@link #start}/{@link #stop} from any thread.
 */
public final class StallMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(StallMonitor.class);

    /** The target: no stall longer than this. */
    public static final double TARGET_MS = 100;
    /** A ping outstanding this long gets the FX thread's stack sampled. */
    static final double STACK_AFTER_MS = 30;

    private static volatile StallMonitor current;

    private final long periodNanos;
    private final ScheduledExecutorService watchdog;
    private final AtomicBoolean outstanding = new AtomicBoolean();
    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private volatile long postedAt;
    private final Map<String, Integer> samples = new java.util.HashMap<>();
    /**
     * Time of the current gap attributed to waiting for the renderer (guarded by samples): each sample stands
     * for the time since the previous one, so a watchdog that got no core for a while does not undercount.
     */
    private long renderWaitNanos;
    private long lastSampleAt;
    private volatile String phaseAtSample;
    private volatile Thread fxThread;
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private long lastAnswer = -1;
    private long lastCpu = -1;
    private Phase phase;
    private volatile boolean running;

    /** Gaps of one phase, in milliseconds. */
    private static final class Phase {
        final String name;
        double[] gaps = new double[1024];
        int n;
        double worst;
        double worstCpu;
        double worstRenderWait;
        /** The worst gap less its estimated wait for the renderer. */
        double worstOwn;
        String worstOwnAt;
        double maxCpu;
        String maxCpuAt;
        String worstAt;
        int over;

        Phase(String name) {
            this.name = name;
        }

        void add(double ms, double cpuMs, double renderWaitMs, String at, String atOwn) {
            if (n == gaps.length) {
                gaps = Arrays.copyOf(gaps, n * 2);
            }
            gaps[n++] = ms;
            if (cpuMs > maxCpu) {
                maxCpu = cpuMs;
                maxCpuAt = atOwn;
            }
            if (ms > TARGET_MS) {
                over++;
            }
            if (ms > worst) {
                worst = ms;
                worstCpu = cpuMs;
                worstRenderWait = renderWaitMs;
                worstAt = at;
            }
            if (ms - renderWaitMs > worstOwn) {
                worstOwn = ms - renderWaitMs;
                worstOwnAt = atOwn;
            }
        }
    }

    /** What one phase measured. */
    public record Stats(String phase, int samples, double p50, double p90, double p99, double max, int overTarget,
                        double maxCpu, double worstCpu, String worstAt, String maxCpuAt, double worstRenderWait,
                        double worstOwn, String worstOwnAt) {

        /** One printable line. */
        public String line() {
            String render = worstRenderWait < 1 ? ""
                    : String.format(", waiting ~%.0f ms for the renderer to finish the previous frame", worstRenderWait);
            String own = worstOwn >= max - 0.5 ? ""
                    : String.format("; worst stall apart from waiting for the renderer %.1f ms%s", worstOwn,
                            worstOwnAt == null ? "" : " (in " + worstOwnAt + ")");
            return String.format("%s: worst stall %.1f ms (FX thread on CPU for %.1f ms of it%s%s), p50 %.1f, p90 %.1f, "
                    + "p99 %.1f ms (%d gaps), stalls > %.0f ms: %d, longest FX-thread CPU burst %.1f ms%s%s", phase, max,
                    worstCpu, render, worstAt == null ? "" : ", mostly in " + worstAt, p50, p90, p99, samples, TARGET_MS,
                    overTarget, maxCpu, maxCpuAt == null || maxCpu < STACK_AFTER_MS ? "" : " (in " + maxCpuAt + ")", own);
        }
    }

    private StallMonitor(long periodNanos) {
        this.periodNanos = periodNanos;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mmtune-stall-monitor");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
    }

    /** Starts a monitor pinging every {@code periodMs} ms, in phase {@code firstPhase}; it becomes {@link #current()}. */
    public static StallMonitor start(double periodMs, String firstPhase) {
        StallMonitor m = new StallMonitor((long) (periodMs * 1e6));
        m.phase(firstPhase);
        m.running = true;
        m.watchdog.scheduleAtFixedRate(m::tick, 0, m.periodNanos, TimeUnit.NANOSECONDS);
        current = m;
        LOG.info("FX stall monitor started (ping every {} ms)", periodMs);
        return m;
    }

    /** The monitor started last and not stopped yet, or null. */
    public static StallMonitor current() {
        return current;
    }

    /** Sets the phase on the current monitor, if any. */
    public static void phaseIfRunning(String name) {
        StallMonitor m = current;
        if (m != null) {
            m.phase(name);
        }
    }

    /** The current phase's name on the current monitor, or null when none runs. */
    public static String currentPhase() {
        StallMonitor m = current;
        if (m == null) {
            return null;
        }
        return m.currentPhaseName();
    }

    /** Gaps measured from now on count for {@code name} (a gap spanning the change counts for the new phase). */
    public synchronized void phase(String name) {
        phase = phases.computeIfAbsent(name, Phase::new);
    }

    /** Stops pinging; the figures stay readable. */
    public void stop() {
        running = false;
        watchdog.shutdownNow();
        if (current == this) {
            current = null;
        }
    }

    private void tick() {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        if (outstanding.compareAndSet(false, true)) {
            postedAt = now;
            try {
                Platform.runLater(this::answer);
            } catch (IllegalStateException e) {
                // the toolkit has exited
                outstanding.set(false);
                running = false;
            }
        } else if ((now - postedAt) / 1e6 > STACK_AFTER_MS && fxThread != null) {
            // a long wait: sample what the FX thread is doing (a cheap profiler of the stall)
            StackTraceElement[] stack = fxThread.getStackTrace();
            boolean renderWait = waitsForRenderer(stack);
            String at = renderWait ? RENDER_WAIT : where(stack, "");
            synchronized (samples) {
                if (samples.isEmpty()) {
                    phaseAtSample = currentPhaseName();
                    lastSampleAt = postedAt + (long) (STACK_AFTER_MS * 1e6);
                }
                samples.merge(at, 1, Integer::sum);
                if (renderWait) {
                    renderWaitNanos += Math.max(0, now - lastSampleAt);
                }
                lastSampleAt = now;
            }
        }
    }

    private synchronized String currentPhaseName() {
        return phase == null ? null : phase.name;
    }

    private void answer() {
        long now = System.nanoTime();
        long cpu = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        fxThread = Thread.currentThread();
        String at = null;
        String atOwn = null;
        String sampledIn;
        long waits;
        synchronized (samples) {
            // the most frequent place among the samples taken during this gap
            int best = 0;
            int bestOwn = 0;
            for (Map.Entry<String, Integer> e : samples.entrySet()) {
                if (e.getValue() > best && !e.getKey().isEmpty()) {
                    best = e.getValue();
                    at = e.getKey();
                }
                if (e.getValue() > bestOwn && !e.getKey().isEmpty() && !e.getKey().equals(RENDER_WAIT)) {
                    bestOwn = e.getValue();
                    atOwn = e.getKey();
                }
            }
            sampledIn = samples.isEmpty() ? null : phaseAtSample;
            samples.clear();
            waits = renderWaitNanos;
            renderWaitNanos = 0;
        }
        synchronized (this) {
            // a long gap counts for the phase it was sampled in (the FX thread was busy then)
            Phase p = sampledIn != null ? phases.computeIfAbsent(sampledIn, Phase::new) : phase;
            if (lastAnswer >= 0 && p != null) {
                double gap = (now - lastAnswer) / 1e6;
                double waited = Math.min(gap, waits / 1e6);
                p.add(gap, cpu >= 0 && lastCpu >= 0 ? (cpu - lastCpu) / 1e6 : 0, waited, at, atOwn);
            }
            lastAnswer = now;
            lastCpu = cpu;
        }
        outstanding.set(false);
    }

    /** Figures per phase, in the order the phases were first entered (phases without gaps are left out). */
    public synchronized List<Stats> stats() {
        List<Stats> out = new ArrayList<>();
        for (Phase p : phases.values()) {
            if (p.n > 0) {
                out.add(stats(p.name, Arrays.copyOf(p.gaps, p.n), p.over, p.maxCpu, p.worstCpu, p.worstAt, p.maxCpuAt,
                        p.worstRenderWait, p.worstOwn, p.worstOwnAt));
            }
        }
        return out;
    }

    /** Figures over all phases together. */
    public synchronized Stats overall() {
        double[] all = new double[0];
        int over = 0;
        double maxCpu = 0;
        String maxCpuAt = null;
        Phase worst = null;
        Phase worstOwn = null;
        for (Phase p : phases.values()) {
            int at = all.length;
            all = Arrays.copyOf(all, at + p.n);
            System.arraycopy(p.gaps, 0, all, at, p.n);
            over += p.over;
            if (p.maxCpu > maxCpu) {
                maxCpu = p.maxCpu;
                maxCpuAt = p.maxCpuAt == null ? null : p.name + ": " + p.maxCpuAt;
            }
            if (p.n > 0 && (worst == null || p.worst > worst.worst)) {
                worst = p;
            }
            if (p.n > 0 && (worstOwn == null || p.worstOwn > worstOwn.worstOwn)) {
                worstOwn = p;
            }
        }
        return stats("all phases", all, over, maxCpu, worst == null ? 0 : worst.worstCpu,
                worst == null ? null : worst.name + (worst.worstAt == null ? "" : ": " + worst.worstAt), maxCpuAt,
                worst == null ? 0 : worst.worstRenderWait, worstOwn == null ? 0 : worstOwn.worstOwn,
                worstOwn == null ? null : worstOwn.name + (worstOwn.worstOwnAt == null ? "" : ": " + worstOwn.worstOwnAt));
    }

    /** The report: one line per phase, then the overall line with the verdict against the target. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        for (Stats s : stats()) {
            lines.add(s.line());
        }
        Stats all = overall();
        lines.add(all.line() + (all.samples() == 0 ? "" : all.max() <= TARGET_MS
                ? String.format(" — within the %.0f ms target", TARGET_MS)
                : String.format(" — over the %.0f ms target", TARGET_MS)));
        return lines;
    }

    /** The largest gap measured so far in any phase (ms). */
    public synchronized double worstMs() {
        double w = 0;
        for (Phase p : phases.values()) {
            w = Math.max(w, p.worst);
        }
        return w;
    }

    private static Stats stats(String name, double[] v, int over, double maxCpu, double worstCpu, String where,
                               String maxCpuAt, double worstRenderWait, double worstOwn, String worstOwnAt) {
        if (v.length == 0) {
            return new Stats(name, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, null);
        }
        Arrays.sort(v);
        return new Stats(name, v.length, pct(v, 0.5), pct(v, 0.9), pct(v, 0.99), v[v.length - 1], over, maxCpu,
                worstCpu, where, maxCpuAt, worstRenderWait, worstOwn, worstOwnAt);
    }

    /** What a sample that found the FX thread waiting for the render thread is attributed to. */
    static final String RENDER_WAIT = "waiting for the renderer";

    /** True when a sampled FX-thread stack waits for the render thread to finish the previous frame. */
    static boolean waitsForRenderer(StackTraceElement[] stack) {
        if (stack == null) {
            return false;
        }
        for (StackTraceElement e : stack) {
            if (e.getMethodName().equals("waitForRenderingToComplete")) {
                return true;
            }
            if (e.getClassName().startsWith("javafx.") || e.getClassName().startsWith("org.mmtune.")) {
                // past JavaFX's internals: the wait, if any, would have been above
                return false;
            }
        }
        return false;
    }

    private static double pct(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The first mmtune frame (else the top frame) of a sampled FX-thread stack, or "". */
    private static String where(StackTraceElement[] stack, String prefix) {
        if (stack == null || stack.length == 0) {
            return "";
        }
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("org.mmtune.") && !e.getClassName().equals(StallMonitor.class.getName())) {
                return prefix + e.getClassName().substring("org.mmtune.".length()) + "." + e.getMethodName() + ":"
                        + e.getLineNumber();
            }
        }
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("javafx.")) {
                return prefix + e.getClassName() + "." + e.getMethodName();
            }
        }
        StackTraceElement top = stack[0];
        return prefix + top.getClassName() + "." + top.getMethodName();
    }
}
