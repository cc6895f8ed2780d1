package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mmtune bench memory}: the RSS reader and a short real run. */
class BenchMemoryCommandTest {

    @Test
    void vmRssIsReadFromStatusLines() {
        assertThat(BenchMemoryCommand.parseVmRssMb(List.of("Name:\tjava", "VmHWM:\t  4096 kB", "VmRSS:\t  2048 kB")))
                .isEqualTo(2.0);
        assertThat(BenchMemoryCommand.parseVmRssMb(List.of("Name:\tjava"))).isEqualTo(-1.0);
        assertThat(BenchMemoryCommand.rssMb()).isGreaterThan(1.0);
    }

    @Test
    void aShortRunPrintsBothFiguresAndJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("mem.json");
        CommandLine cl = MmtuneCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = cl.execute("bench", "memory", "--iterations", "110", "--batch", "10", "--width-divisor", "8",
                    "--json", json.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("RSS after 100 iterations:").contains("RSS after 110 iterations:")
                .contains("relative growth:");
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertThat(n.get("iterations").asInt()).isEqualTo(110);
        assertThat(n.get("rssAfter100Mb").asDouble()).isGreaterThan(10);
        assertThat(n.get("rssAfterNMb").asDouble()).isGreaterThan(10);
        double growth = (n.get("rssAfterNMb").asDouble() - n.get("rssAfter100Mb").asDouble())
                / n.get("rssAfter100Mb").asDouble();
        assertThat(n.get("relativeGrowth").asDouble()).isCloseTo(growth, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void tooFewIterationsAreRefused() {
        CommandLine cl = MmtuneCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("bench", "memory", "--iterations", "50")).isEqualTo(2);
        assertThat(err.toString()).contains("--iterations must be at least 100");
    }
}
