package org.mmtune.ui.common;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Timings of the views' interactive paths (resample to visible, graph redraw, grid frames), kept as the
 * last 50 figures per key, shown by the debug overlay (F12) and printed by {@code gui --bench}.
 */
public final class Perf {

    private static final Map<String, Deque<Double>> FIGURES = new LinkedHashMap<>();
    private static final ReadOnlyStringWrapper SUMMARY = new ReadOnlyStringWrapper("");
    private static volatile boolean live;

    private Perf() {
    }

    /** Records one figure in milliseconds (any thread). */
    public static void record(String key, double ms) {
        synchronized (FIGURES) {
            Deque<Double> d = FIGURES.computeIfAbsent(key, k -> new ArrayDeque<>());
            d.addLast(ms);
            while (d.size() > 50) {
                d.removeFirst();
            }
        }
        if (live) {
            Background.runFx(() -> SUMMARY.set(summary()));
        }
    }

    /**
     * Whether the summary follows every figure (while the overlay shows it). Off, recording costs no FX
     * work: a figure recorded at every frame would otherwise re-format and re-lay out a hidden label
     * at every frame.
     */
    public static void setLive(boolean on) {
        live = on;
        if (on) {
            Background.runFx(() -> SUMMARY.set(summary()));
        }
    }

    public static ReadOnlyStringProperty summaryProperty() {
        return SUMMARY.getReadOnlyProperty();
    }

    /** The figures of one key, oldest first. */
    public static List<Double> figures(String key) {
        synchronized (FIGURES) {
            Deque<Double> d = FIGURES.get(key);
            return d == null ? List.of() : new ArrayList<>(d);
        }
    }

    public static void clear() {
        synchronized (FIGURES) {
            FIGURES.clear();
        }
    }

    /** One line per key: last, median, max, count. */
    public static String summary() {
        StringBuilder sb = new StringBuilder();
        synchronized (FIGURES) {
            for (Map.Entry<String, Deque<Double>> e : FIGURES.entrySet()) {
                List<Double> v = new ArrayList<>(e.getValue());
                if (v.isEmpty()) {
                    continue;
                }
                double last = v.get(v.size() - 1);
                Collections.sort(v);
                sb.append(String.format("%-28s last %7.1f ms  median %7.1f  max %7.1f  (n=%d)%n", e.getKey(), last,
                        v.get(v.size() / 2), v.get(v.size() - 1), v.size()));
            }
        }
        return sb.toString();
    }
}
