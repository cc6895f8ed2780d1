package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input to the pipeline commands: one plain line, exit code 2, nothing run. */
class PipelineCommandsTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cl = MmtuneCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void aConfigWithAnUnknownKeyIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("exp.json");
        Files.writeString(cfg, "{\"mm\": {\"margn\": 2.1}}");
        StringWriter err = new StringWriter();
        int code = run(err, "train", "--config", cfg.toString(), "--run-dir", tmp.resolve("run").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("mmtune: " + cfg + ": unknown key 'mm.margn'");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void anUnknownPresetAndAMissingRunAreRefused(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        assertThat(run(err, "train", "--preset", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("preset 'nope': unknown");
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, "eval", "--run", tmp.resolve("none").toString())).isEqualTo(2);
        assertThat(err2.toString().strip()).endsWith("no such run folder").doesNotContain("Exception");
    }

    @Test
    void gpuChoicesOnTheCpuAreRefusedInOneLine(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        assertThat(run(err, "train", "--preset", "quick", "--device", "cpu", "--devices", "2",
                "--run-dir", tmp.resolve("run").toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("mmtune: --devices chooses GPUs; it does not go with --device cpu");
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, "train", "--preset", "quick", "--cpu-replicas", "0",
                "--run-dir", tmp.resolve("run").toString())).isEqualTo(2);
        assertThat(err2.toString()).contains("--cpu-replicas must be at least 1");
        assertThat(tmp.resolve("run")).doesNotExist();
    }
}
