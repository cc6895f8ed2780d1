package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.ExperimentConfigs;
import picocli.CommandLine;

/**
 * The one engine set-up point ({@link LibtorchExecution}): commands marked {@link LoadsLibtorch} check their
 * arguments, then go through it before they run; a bad argument stops before it; help and unmarked commands
 * never reach it. The set-up itself is replaced by a counter that then stops the command with a marker
 * failure, so nothing loads libtorch here.
 */
class LibtorchExecutionTest {

    private static final String MARKER = "engine set-up reached";

    @TempDir
    Path dir;

    private final AtomicInteger setups = new AtomicInteger();

    private BadInput.Run run(String... args) {
        CommandLine cl = MmtuneCli.commandLine(() -> {
            setups.incrementAndGet();
            throw new IllegalStateException(MARKER);
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new BadInput.Run(code, out.toString(), err.toString());
    }

    @Test
    void exactlyTheLibtorchCommandsAreMarked() {
        List<String> marked = new ArrayList<>();
        collect(MmtuneCli.commandLine(), marked);
        assertThat(new TreeSet<>(marked)).containsExactly("mmtune ablation", "mmtune bench memory",
                "mmtune bench train", "mmtune embed", "mmtune eval", "mmtune gui", "mmtune predict", "mmtune probe",
                "mmtune train", "mmtune weights export", "mmtune weights import");
    }

    private static void collect(CommandLine cl, List<String> marked) {
        if (cl.getCommand() instanceof LoadsLibtorch) {
            marked.add(cl.getCommandSpec().qualifiedName());
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, marked));
    }

    @Test
    void markedCommandsSetUpTheEngineAfterTheirChecksBeforeTheyRun() throws Exception {
        BadInput.Run r = run("bench", "train", "--iterations", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(setups).hasValue(1);
        assertThat(r.out()).as("the command did not run").isEmpty();
        assertThat(r.err()).contains(MARKER);

        assertThat(run("bench", "memory", "--iterations", "100").err()).contains(MARKER);
        assertThat(run("gui", "--bench").err()).contains(MARKER);
        assertThat(setups).hasValue(3);

        // eval and predict read the run folder before the set-up
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.writeString(runDir.resolve("config.json"), ExperimentConfigs.toJson(ExperimentConfigs.preset("quick")));
        Path params = runDir.resolve("checkpoints").resolve("finetune.params");
        Files.createDirectories(params.getParent());
        Files.write(params, new byte[] {1});
        assertThat(run("eval", "--run", runDir.toString()).err()).contains(MARKER);
        assertThat(run("predict", "--run", runDir.toString(), "--out", dir.resolve("out").toString(), "x.png").err())
                .contains(MARKER);
        assertThat(setups).hasValue(5);
        assertThat(dir.resolve("out")).as("predict did not run here").doesNotExist();
    }

    @Test
    void badArgumentsStopWithOneLineBeforeTheSetUp() {
        BadInput.assertOneLine(run("bench", "train", "--batch", "1"), 2, "--batch (>= 3)");
        BadInput.assertOneLine(run("bench", "memory", "--iterations", "5"), 2, "--iterations must be at least");
        BadInput.assertOneLine(run("train"), 2, "give --config FILE or --preset NAME");
        BadInput.assertOneLine(run("train", "--preset", "quick", "--devices", "1", "--device", "cpu"), 2,
                "--devices chooses GPUs");
        BadInput.assertOneLine(run("ablation", "--preset", "nosuch"), 2, "nosuch");
        BadInput.assertOneLine(run("ablation", "--preset", "quick", "--labelled-fraction", "1.5"), 2,
                "--labelled-fraction: 1.5 must be in (0, 1]");
        BadInput.assertOneLine(run("ablation", "--preset", "quick", "--seeds", "two"), 2, "--seeds: 'two' is not");
        BadInput.assertOneLine(run("eval", "--run", dir.resolve("missing").toString()), 2, "no such run folder");
        BadInput.assertOneLine(run("predict", "--run", dir.resolve("missing").toString(), "--out",
                dir.resolve("o").toString(), "x.png"), 2, "no such run folder");
        BadInput.assertOneLine(run("gui", "--bench", "--snapshot-dir", dir.toString()), 2, "cannot be combined");
        // picocli's own usage errors come earlier still
        assertThat(run("train", "--no-such-flag").code()).isEqualTo(2);
        assertThat(setups).hasValue(0);
    }

    @Test
    void helpAndUnmarkedCommandsNeverReachTheSetUp() {
        BadInput.Run help = run("train", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: mmtune train");
        assertThat(run("bench", "train", "--version").code()).isZero();
        assertThat(run("help", "eval").code()).isZero();

        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        BadInput.Run info = run("info", ds.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).isNotEmpty();
        BadInput.Run mix = run("mix", ds.toString(), "--images", "3", "--patches-per-image", "2", "--min-size", "4",
                "--max-size", "8", "--out-size", "8", "--threads", "1");
        assertThat(mix.code()).as(mix.err()).isZero();
        assertThat(mix.out()).contains("patches   6");
        assertThat(setups).hasValue(0);
    }
}
