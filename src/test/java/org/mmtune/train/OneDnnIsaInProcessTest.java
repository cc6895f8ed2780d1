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
 * {@link OneDnnIsa#prepare()}'s native {@code setenv}), with {@code ONEDNN_VERBOSE=1}, which makes oneDNN print
 * the ISA it dispatches for and every kernel it runs. One JVM only: it starts no process of its own.
 */
class OneDnnIsaInProcessTest {

    @TempDir
    Path tmp;

    @Test
    void theChosenIsaIsWhatOneDnnRunsWithInTheSameProcess() throws Exception {
        Path sample = SampleData.locate().orElseThrow();
        List<String> cmd = new ArrayList<>(TrainProcess.cliCommand(List.of("bench", "train", "--width-divisor", "16",
                "--batch", "3", "--fcn-batch", "1", "--iterations", "1", "--device", "cpu",
                "--dataset", sample.toString())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().remove(OneDnnIsa.VARIABLE);
        pb.environment().put("ONEDNN_VERBOSE", "1");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(p.descendants().count()).isZero();

        // oneDNN names the ISA limit it read ("Intel AVX" for AVX; the default on an AVX-512 CPU names AVX-512)
        assertThat(out.lines().filter(l -> l.startsWith("onednn_verbose,v1,info,cpu,isa:")))
                .containsExactly("onednn_verbose,v1,info,cpu,isa:Intel AVX");
        // and every convolution it ran used AVX kernels, none wider
        List<String> convs = out.lines().filter(l -> l.contains(",convolution,")).toList();
        assertThat(convs).isNotEmpty();
        assertThat(convs).allSatisfy(l -> assertThat(l).doesNotContain("avx2").doesNotContain("avx512"));
        assertThat(convs).anySatisfy(l -> assertThat(l).contains("jit:avx"));
        assertThat(out).contains("oneDNN ISA AVX");
    }
}
