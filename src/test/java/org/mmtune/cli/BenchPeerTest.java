package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.SampleData;

/**
 * {@code bench train} times the PyTorch peer step by step next to its own and prints the ratio; without a peer
 * it says nothing about it. A shell script stands in for Python here (CI has no Python): it answers the peer
 * protocol ("ready VERSION", then one time in ms per requested step).
 */
class BenchPeerTest {

    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.setProperty("mmtune.benchPeer", "off");
        System.clearProperty("mmtune.benchPython");
    }

    private String bench() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = MmtuneCli.commandLine(() -> { }).execute("bench", "train", "--width-divisor", "16", "--batch", "3",
                    "--fcn-batch", "1", "--iterations", "2", "--device", "cpu", "--dataset",
                    SampleData.locate().orElseThrow().toString());
            assertThat(code).as(buf.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theRatioToThePeerIsPrintedWhenThereIsOneAndNothingOtherwise() throws Exception {
        Path fake = tmp.resolve("peer.sh");
        Files.writeString(fake, """
                echo "ready torch stand-in $*"
                while read cmd; do
                  case "$cmd" in mm) echo 0.5 ;; fcn) echo 0.25 ;; *) exit 0 ;; esac
                done
                """);
        System.setProperty("mmtune.benchPython", "/bin/sh");
        System.setProperty("mmtune.benchPeer", fake.toString());
        String out = bench();
        assertThat(out).containsPattern("PyTorch peer \\(torch stand-in --serve --threads \\d+ --width-divisor 16 --batch 3 "
                + "--fcn-batch 1 --classes \\d+, .*\\): M&M 0\\.5 ms \\(mmtune/PyTorch \\d+\\.\\d\\d×\\), FCN 0\\.3 ms "
                + "\\(mmtune/PyTorch \\d+\\.\\d\\d×\\)");

        System.setProperty("mmtune.benchPython", tmp.resolve("no-python").toString());
        assertThat(bench()).doesNotContain("PyTorch peer").contains("M&M triplet step");
    }
}
