package org.mmtune.ui.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.ui.train.RunCharts;
import org.mmtune.ui.train.TrainView;

/**
 * {@code gui --bench} part of the Train view: the view follows a run folder that another "process" (a
 * thread here, writing the pipeline's run-folder format at a faster pace than a real trainer) fills with
 * metrics lines, log lines and 400-point embedding snapshots, while the FX stall monitor measures.
 */
final class TrainFollowBench {

    static final double SECONDS = 8;
    static final int LINES_PER_SECOND = 20;
    static final int POINTS = 400;

    private TrainFollowBench() {
    }

    static List<String> run(AutoDriver d, TrainView view) throws Exception {
        List<String> out = new ArrayList<>();
        Path run = Files.createTempDirectory("mmtune-bench-run");
        Path before = d.fx(() -> view.viewModel().followedRun());
        try {
            Files.writeString(RunFiles.config(run), "{\"preset\":\"quick\"}");
            Files.writeString(RunFiles.status(run), "{\"state\":\"running\",\"stage\":\"mm\",\"pid\":"
                    + ProcessHandle.current().pid() + "}");
            Files.createDirectories(RunFiles.embeddings(run));
            StallMonitor.phaseIfRunning("Train: following a run being written");
            d.fx(() -> {
                d.context().runDirProperty().set(run);
                return null;
            });
            int total = (int) (SECONDS * LINES_PER_SECOND);
            int snapshots = 0;
            Random rnd = new Random(1);
            long t0 = System.nanoTime();
            for (int i = 1; i <= total; i++) {
                long due = t0 + (long) (i * 1e9 / LINES_PER_SECOND);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                append(RunFiles.metrics(run), String.format(Locale.ROOT, "{\"stage\":\"mm\",\"iteration\":%d,"
                        + "\"totalIterations\":%d,\"loss\":%.4f,\"lr\":0.01,\"time\":%d,\"elapsedSeconds\":%.2f,"
                        + "\"violatedFraction\":1.0,\"orderedFraction\":%.3f,\"meanCosGap\":%.4f}%n", i, total,
                        1.5 * Math.exp(-i / 80.0) + 0.05 * rnd.nextDouble(), System.currentTimeMillis() / 1000,
                        i / (double) LINES_PER_SECOND, 0.5 + i / (2.0 * total), 0.3 * i / total));
                if (i % LINES_PER_SECOND == 0) {
                    append(RunFiles.log(run), "INFO mm iteration " + i + "\n");
                    embedding(run, i, rnd);
                    snapshots++;
                }
            }
            Files.writeString(RunFiles.status(run), "{\"state\":\"finished\",\"stage\":\"mm\"}");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            RunCharts charts = view.viewModel().charts();
            while (d.fx(charts::lossPoints) < total && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            int shown = d.fx(charts::lossPoints);
            d.awaitIdle(10);
            out.add(String.format("followed a run written by another thread for %.0f s (%d metric lines, %d "
                    + "embedding snapshots of %d points): %d of %d points charted", SECONDS, total, snapshots, POINTS,
                    shown, total));
        } finally {
            d.fx(() -> {
                view.viewModel().follow(before);
                d.context().runDirProperty().set(before);
                return null;
            });
            delete(run);
        }
        return out;
    }

    private static void embedding(Path run, int iteration, Random rnd) throws IOException {
        StringBuilder labels = new StringBuilder();
        StringBuilder points = new StringBuilder();
        StringBuilder patches = new StringBuilder();
        for (int i = 0; i < POINTS; i++) {
            int label = i % 7;
            String sep = i == 0 ? "" : ",";
            labels.append(sep).append(label);
            points.append(sep).append(String.format(Locale.ROOT, "[%.4f,%.4f]", Math.cos(label) * 2 + rnd.nextGaussian() * 0.4,
                    Math.sin(label) * 2 + rnd.nextGaussian() * 0.4));
            patches.append(sep).append("{\"image\":\"img").append(i / 10).append("\",\"cx\":").append(20 + i % 50)
                    .append(",\"cy\":").append(30 + i % 40).append(",\"size\":64,\"label\":").append(label).append('}');
        }
        Path tmp = RunFiles.embeddings(run).resolve(RunFiles.embeddingSnapshot(iteration) + ".tmp");
        Files.writeString(tmp, "{\"iteration\":" + iteration + ",\"labels\":[" + labels + "],\"points\":[" + points
                + "],\"patches\":[" + patches + "]}");
        Files.move(tmp, RunFiles.embeddings(run).resolve(RunFiles.embeddingSnapshot(iteration)),
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
