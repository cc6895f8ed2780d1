package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The ISA mmtune chooses reaches libtorch in the same process: {@code mmtune bench train} runs in a child JVM
 * whose environment has no {@code ONEDNN_MAX_CPU_ISA} (so the variable can only come from
 * {@link OneDnnIsa#prepare}'s native {@code setenv}), with a cached verdict for this machine that names an ISA
 * other than oneDNN's default and other than the fallback, and with {@code ONEDNN_VERBOSE=1}, which makes oneDNN
 * print the ISA it dispatches for and every kernel it runs. The child starts no process of its own.
 */
class OneDnnIsaInProcessTest {

    @TempDir
    Path tmp;

    @Test
    void theCachedIsaIsWhatOneDnnRunsWithInTheSameProcess() throws Exception {
        boolean avx2 = OneDnnIsa.cpuFlags().contains("avx2");
        String isa = avx2 ? "AVX2" : "AVX";
        OneDnnIsa.cacheVerdict(tmp, new OneDnnIsa.Choice(isa, "written by the test"));
        Path sample = SampleData.locate().orElseThrow();
        List<String> cmd = new ArrayList<>(TrainProcess.cliCommand(List.of("bench", "train", "--width-divisor", "16",
                "--batch", "3", "--fcn-batch", "1", "--iterations", "1", "--device", "cpu",
                "--dataset", sample.toString())));
        cmd.removeIf(a -> a.startsWith("-Dmmtune.cacheDir="));
        cmd.add(1, "-Dmmtune.cacheDir=" + tmp);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().remove(OneDnnIsa.VARIABLE);
        pb.environment().put("ONEDNN_VERBOSE", "1");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();

        // oneDNN names the ISA limit it read ("Intel AVX2"; its default on an AVX-512 CPU names AVX-512)
        assertThat(out.lines().filter(l -> l.startsWith("onednn_verbose,v1,info,cpu,isa:")))
                .containsExactly("onednn_verbose,v1,info,cpu,isa:Intel " + isa);
        // and the convolutions it ran used kernels of that ISA, none wider
        List<String> convs = out.lines().filter(l -> l.contains(",convolution,")).toList();
        assertThat(convs).isNotEmpty();
        assertThat(convs).allSatisfy(l -> assertThat(l).doesNotContain("avx512"));
        assertThat(convs).anySatisfy(l -> assertThat(l).contains("jit:" + isa.toLowerCase()));
        assertThat(out).contains("oneDNN ISA " + isa + " (written by the test; cached in");
    }
}
