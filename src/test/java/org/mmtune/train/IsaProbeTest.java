package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The real probe: child JVMs measure the network's gradients with an ISA each, and a probe child never
 * outlives the mmtune process that started it, even when that process is killed with SIGKILL.
 */
class IsaProbeTest {

    @TempDir
    Path tmp;

    @Test
    void twoConservativeIsasGiveFiniteAgreeingGradientsInChildJvms() throws Exception {
        // AVX and SSE4.1: finite on every CPU measured, so the comparison must find them in agreement
        List<OneDnnIsa.Measured> m = OneDnnIsa.probe(List.of("AVX", "SSE41"));
        assertThat(m).extracting(OneDnnIsa.Measured::isa).containsExactly("AVX", "SSE41");
        assertThat(m).allSatisfy(r -> {
            assertThat(r.failure()).isNull();
            assertThat(r.finite()).isTrue();
            assertThat(r.fcnMs()).isPositive();
            assertThat(r.mmMs()).isPositive();
        });
        assertThat(m.get(0).relDiff()).isZero();
        assertThat(m.get(1).relDiff()).isLessThan(OneDnnIsa.TOLERANCE);
        OneDnnIsa.Choice c = OneDnnIsa.judge(m, "today");
        assertThat(c.isa()).isIn("AVX", "SSE41");
    }

    @Test
    void killingMmtuneDuringTheProbeLeavesNoProbeRunning() throws Exception {
        Path sample = SampleData.locate().orElseThrow();
        List<String> cmd = new ArrayList<>(TrainProcess.cliCommand(List.of("bench", "train", "--iterations", "1",
                "--device", "cpu", "--dataset", sample.toString())));
        cmd.removeIf(a -> a.startsWith("-Dmmtune.cacheDir=") || a.startsWith("-Dmmtune.isaProbe="));
        cmd.addAll(1, List.of("-Dmmtune.cacheDir=" + tmp.resolve("cache"), "-Dmmtune.isaProbe=on"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().remove(OneDnnIsa.VARIABLE);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<ProcessHandle> probes = List.of();
        while (probes.isEmpty()) {
            assertThat(p.isAlive()).as(Files.readString(tmp.resolve("out.txt"))).isTrue();
            assertThat(System.nanoTime()).as("no probe child appeared").isLessThan(deadline);
            Thread.sleep(20);
            probes = p.descendants().toList();
        }
        Thread.sleep(500); // the probe child is loading libtorch now
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle probe : probes) {
            while (probe.isAlive()) {
                assertThat(System.nanoTime()).as("probe child " + probe.pid() + " outlived its parent").isLessThan(gone);
                Thread.sleep(50);
            }
        }
        assertThat(tmp.resolve("cache").resolve(OneDnnIsa.CACHE_FILE)).doesNotExist();
    }
}
