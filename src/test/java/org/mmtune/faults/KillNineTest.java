package org.mmtune.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.SampleData;
import org.mmtune.experiment.runs.TrainProcess;

/**
 * {@code mmtune train} is one process: started as a user would (no {@code ONEDNN_MAX_CPU_ISA} in its
 * environment) on the bundled sample data, it trains without starting any child process; {@code kill -9} of
 * that one PID leaves no mmtune process behind holding the run, and {@code train --resume} then finishes.
 */
class KillNineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Process start(Path config, Path run, boolean resume, String tag) throws IOException {
        List<String> cmd = new ArrayList<>(TrainProcess.command(config, run, "cpu",
                resume ? List.of("--resume") : List.of()));
        int xmx = cmd.indexOf("-Xmx3g");
        if (xmx >= 0) {
            cmd.set(xmx, "-Xmx1g");
        }
        cmd.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(tag + ".out").toFile());
        pb.environment().remove("ONEDNN_MAX_CPU_ISA");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    private static long metricLines(Path run) {
        try {
            return Files.readAllLines(run.resolve("metrics.jsonl")).size();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Live processes whose command line names this run folder (any mmtune JVM working on it). Read from
     * {@code /proc/PID/cmdline}: Java reports no arguments for command lines over 4 KB (a long class path).
     */
    private static List<ProcessHandle> workingOn(Path run) {
        String dir = run.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h).contains(dir))
                .toList();
    }

    private static List<String> commandLine(ProcessHandle h) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return h.info().arguments().map(List::of).orElse(List.of());
        }
    }

    @Test
    void killNineOfTheTrainPidLeavesNoProcessAndResumeFinishes() throws Exception {
        Path sample = SampleData.locate().orElseThrow();
        Path config = tmp.resolve("tiny.json");
        Files.writeString(config, """
                {
                  "name": "kill9", "dataset": "%s", "seed": 3, "device": "cpu", "maxValImages": 2,
                  "backbone": { "type": "alexnet", "widthDivisor": 16 },
                  "proxy": { "iterations": 3, "batchSize": 2, "cropSize": 80, "checkpointEvery": 1 },
                  "mm": { "iterations": 8, "imagesPerBatch": 3, "patchesPerImage": 4, "minSize": 32, "maxSize": 64,
                          "outSize": 72, "embeddingsEvery": 0, "checkpointEvery": 1 },
                  "finetune": { "iterations": 4, "batchSize": 2, "cropSize": 80, "evalEvery": 0, "checkpointEvery": 2 },
                  "eval": { "savePredictions": false }
                }
                """.formatted(sample.toString().replace("\\", "\\\\")));
        Path run = tmp.resolve("run");

        Process p = start(config, run, false, "first");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (metricLines(run) < 4) {
            assertThat(p.isAlive()).as("train ended early:\n" + Files.readString(tmp.resolve("first.out"))).isTrue();
            assertThat(System.nanoTime()).as("timed out waiting for training").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(p.descendants().toList()).as("train started no other process").isEmpty();
        assertThat(workingOn(run)).extracting(ProcessHandle::pid).containsExactly(p.pid());

        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + 9);
        Thread.sleep(500);
        assertThat(workingOn(run)).as("an mmtune process still works on the run").isEmpty();
        RunChecks.assertConsistent(run);
        // the run log starts by saying what runs (versions, build, devices, oneDNN ISA and why)
        List<String> log = Files.readAllLines(run.resolve("run.log"));
        assertThat(log.get(1)).contains("mmtune ").contains("libtorch 2.7.1 (cpu build)");
        assertThat(log.get(2)).contains("devices: cpu (");
        assertThat(log.get(3)).contains("oneDNN ISA AVX (conservative default; the ISA probe is off");

        Process resumed = start(config, run, true, "resume");
        assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(tmp.resolve("resume.out"));
        assertThat(resumed.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("in use by another process");
        assertThat(JSON.readTree(run.resolve("status.json").toFile()).path("state").asText()).isEqualTo("finished");
        assertThat(run.resolve("results.json")).exists();
        RunChecks.assertConsistent(run);
    }
}
