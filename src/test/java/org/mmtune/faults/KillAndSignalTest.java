package org.mmtune.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.synth.SyntheticDataset;
import org.mmtune.experiment.runs.TrainProcess;

/**
 * A real {@code mmtune train} in a child JVM, killed with SIGKILL at several moments (as it starts, the
 * moment its first checkpoint file appears, a few milliseconds after an M&amp;M checkpoint write began),
 * interrupted with SIGINT (started without {@code ONEDNN_MAX_CPU_ISA}, so mmtune sets it itself) and with
 * SIGTERM; after every stop the folder is consistent, and each
 * {@code train --resume} continues until the last one finishes with valid results.
 */
class KillAndSignalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path config;

    private Path setUp() throws IOException {
        Path ds = tmp.resolve("ds");
        SyntheticDataset.write(ds, new SyntheticDataset.Spec(7, 4, 2, 128, 96), false);
        config = tmp.resolve("tiny.json");
        Files.writeString(config, """
                {
                  "name": "faults", "dataset": "%s", "seed": 1, "device": "cpu", "maxValImages": 2,
                  "backbone": { "type": "alexnet", "widthDivisor": 16 },
                  "proxy": { "iterations": 4, "batchSize": 2, "cropSize": 80, "checkpointEvery": 2 },
                  "mm": { "iterations": 12, "imagesPerBatch": 3, "patchesPerImage": 4, "minSize": 32, "maxSize": 64,
                          "outSize": 72, "embeddingsEvery": 2, "checkpointEvery": 2 },
                  "finetune": { "iterations": 14, "batchSize": 2, "cropSize": 80, "evalEvery": 0,
                                "checkpointEvery": 2 },
                  "eval": { "savePredictions": true }
                }
                """.formatted(ds.toString().replace("\\", "\\\\")));
        return tmp.resolve("run");
    }

    /** A child JVM running {@code train}; {@code direct} puts the oneDNN variable in its environment, otherwise mmtune sets it in-process. */
    private Process start(Path run, boolean resume, boolean direct, String tag) throws IOException {
        this.tag = tag;
        List<String> extra = resume ? List.of("--resume") : List.of();
        List<String> cmd = new ArrayList<>(TrainProcess.command(config, run, "cpu", extra));
        int xmx = cmd.indexOf("-Xmx3g");
        if (xmx >= 0) {
            cmd.set(xmx, "-Xmx1g");
        }
        // a light JVM: the child's work is native; its JIT and GC threads would only slow the start on 2 cores
        cmd.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(tmp.resolve(tag + ".out").toFile())
                .redirectError(tmp.resolve(tag + ".err").toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        if (direct) {
            pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX");
        } else {
            pb.environment().remove("ONEDNN_MAX_CPU_ISA");
        }
        return pb.start();
    }

    private String tag = "";

    private String console() {
        try {
            return String.join("\n", lines(tmp.resolve(tag + ".out"))) + "\n"
                    + String.join("\n", lines(tmp.resolve(tag + ".err")));
        } catch (IOException e) {
            return "";
        }
    }

    private void waitFor(Process p, String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!cond.getAsBoolean()) {
            if (!p.isAlive()) {
                assertThat(p.isAlive()).as("child ended before " + what + ":\n" + console()).isTrue();
            }
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private static void kill9(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    private static void signal(long pid, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).isZero();
    }

    private static String state(Path run) {
        try {
            return JSON.readTree(run.resolve("status.json").toFile()).path("state").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static String stage(Path run) {
        try {
            return JSON.readTree(run.resolve("status.json").toFile()).path("stage").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean anyFile(Path dir, String contains) {
        try {
            return RunChecks.list(dir).stream().anyMatch(f -> f.getFileName().toString().contains(contains));
        } catch (IOException e) {
            return false;
        }
    }

    private static long metricLines(Path run) {
        try {
            return Files.readAllLines(run.resolve("metrics.jsonl")).size();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String s = l.substring(l.lastIndexOf('\r') + 1).strip(); // progress bars redraw with \r
            if (!s.isEmpty() && !s.startsWith("[W")) { // libtorch's own native warnings
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void killedAtAnyMomentOrInterruptedTheRunStaysConsistentAndResumes() throws Exception {
        Path run = setUp();
        Path ck = run.resolve("checkpoints");

        // 1. killed while starting: as soon as status.json exists
        Process p = start(run, false, true, "start");
        waitFor(p, "status.json", () -> Files.exists(run.resolve("status.json")));
        kill9(p);
        RunChecks.assertConsistent(run);
        assertThat(state(run)).isEqualTo("running"); // what a killed process leaves; readers show it as stalled

        // 2. killed the moment the first checkpoint file appears (in the middle of writing it)
        p = start(run, true, true, "first-checkpoint");
        waitFor(p, "a checkpoint file", () -> anyFile(ck, "proxy"));
        kill9(p);
        RunChecks.assertConsistent(run);

        // 3. killed during M&M, a few milliseconds after a checkpoint write began
        p = start(run, true, true, "mm");
        waitFor(p, "M&M iterations", () -> Files.exists(ck.resolve("mm.json")));
        long before = Files.getLastModifiedTime(ck.resolve("mm.json")).toMillis();
        waitFor(p, "an M&M checkpoint write", () -> anyFile(ck, ".mm.") || modifiedSince(ck.resolve("mm.json"), before));
        Thread.sleep(3);
        kill9(p);
        RunChecks.assertConsistent(run);

        // 4. Ctrl-C (SIGINT) to the `java ... train` the user started (one process, no child): it records
        //    "cancelled" and prints one line
        p = start(run, true, false, "sigint");
        // as soon as fine-tuning has begun: on a loaded machine starting `kill` alone can take seconds
        waitFor(p, "fine-tuning", () -> "finetune".equals(stage(run)) && metricLines(run) > 4 + 12);
        signal(p.pid(), "INT");
        assertThat(p.descendants().findAny()).as("no child JVM").isEmpty();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(state(run)).isEqualTo("cancelled");
        List<String> out = lines(tmp.resolve("sigint.out"));
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("cancelled: finetune cancelled after iteration");
        assertThat(Files.readString(tmp.resolve("sigint.err"))).doesNotContain("Exception").doesNotContain("\tat ");
        RunChecks.assertConsistent(run);
        int cancelledAt = JSON.readTree(ck.resolve("finetune.json").toFile()).get("iteration").asInt();

        // 5. SIGTERM to the training JVM itself
        p = start(run, true, true, "sigterm");
        waitFor(p, "more fine-tuning", () -> metricLines(run) > 4 + 12 + cancelledAt + 1);
        signal(p.pid(), "TERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(state(run)).isEqualTo("cancelled");
        assertThat(lines(tmp.resolve("sigterm.out"))).singleElement().asString().startsWith("cancelled: ");
        RunChecks.assertConsistent(run);

        // 6. the last resume finishes: valid results, every iteration of every stage recorded exactly once
        p = start(run, true, true, "finish");
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines(tmp.resolve("finish.out")))).isZero();
        assertThat(state(run)).isEqualTo("finished");
        RunChecks.assertConsistent(run);
        assertThat(run.resolve("results.json")).exists();
        Map<String, List<Integer>> its = new TreeMap<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            its.computeIfAbsent(n.get("stage").asText(), k -> new ArrayList<>()).add(n.get("iteration").asInt());
        }
        assertThat(its.get("proxy")).isEqualTo(range(4));
        assertThat(its.get("mm")).isEqualTo(range(12));
        assertThat(its.get("finetune")).isEqualTo(range(14));
        assertThat(RunChecks.temps(run)).as("temporary files left").isEmpty();
        String log = Files.readString(run.resolve("run.log"));
        assertThat(log).contains("resuming mm from its checkpoint at iteration");
        assertThat(log).doesNotContain("Exception");
    }

    private static boolean modifiedSince(Path f, long millis) {
        try {
            return Files.getLastModifiedTime(f).toMillis() != millis;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            r.add(i);
        }
        return r;
    }
}
