package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.ExperimentConfigs;
import picocli.CommandLine;

/**
 * The one re-run point ({@link GuardedExecution}): commands marked {@link NeedsNativeGuard} check their
 * arguments, then go through it (and return the child's exit code without running in this JVM); a bad
 * argument stops before it; help and unmarked commands never reach it. The re-run itself is replaced by a
 * counter that answers "a child ran and exited with 37".
 */
class GuardedExecutionTest {

    private static final int CHILD_EXIT = 37;

    @TempDir
    Path dir;

    private final AtomicInteger reexecs = new AtomicInteger();

    private BadInput.Run run(String... args) {
        CommandLine cl = MmtuneCli.commandLine(() -> {
            reexecs.incrementAndGet();
            return OptionalInt.of(CHILD_EXIT);
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
                "mmtune bench train", "mmtune embed", "mmtune eval", "mmtune gui", "mmtune predict", "mmtune train",
                "mmtune weights export", "mmtune weights import");
    }

    private static void collect(CommandLine cl, List<String> marked) {
        if (cl.getCommand() instanceof NeedsNativeGuard) {
            marked.add(cl.getCommandSpec().qualifiedName());
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, marked));
    }

    @Test
    void markedCommandsGoThroughTheReRunAfterTheirChecksAndReturnTheChildsExitCode() throws Exception {
        BadInput.Run r = run("bench", "train", "--iterations", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(CHILD_EXIT);
        assertThat(reexecs).hasValue(1);
        assertThat(r.out() + r.err()).as("nothing ran in this JVM").isEmpty();

        assertThat(run("bench", "memory", "--iterations", "100").code()).isEqualTo(CHILD_EXIT);
        assertThat(run("gui", "--bench").code()).isEqualTo(CHILD_EXIT);
        assertThat(reexecs).hasValue(3);

        // eval and predict read the run folder before the re-run
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.writeString(runDir.resolve("config.json"), ExperimentConfigs.toJson(ExperimentConfigs.preset("quick")));
        Path params = runDir.resolve("checkpoints").resolve("finetune.params");
        Files.createDirectories(params.getParent());
        Files.write(params, new byte[] {1});
        assertThat(run("eval", "--run", runDir.toString()).code()).isEqualTo(CHILD_EXIT);
        assertThat(run("predict", "--run", runDir.toString(), "--out", dir.resolve("out").toString(), "x.png").code())
                .isEqualTo(CHILD_EXIT);
        assertThat(reexecs).hasValue(5);
        assertThat(dir.resolve("out")).as("predict did not run here").doesNotExist();
    }

    @Test
    void badArgumentsStopWithOneLineBeforeTheReRun() {
        BadInput.assertOneLine(run("bench", "train", "--batch", "1"), 2, "--batch (>= 3)");
        BadInput.assertOneLine(run("bench", "memory", "--iterations", "5"), 2, "--iterations must be at least");
        BadInput.assertOneLine(run("train"), 2, "give --config FILE or --preset NAME");
        BadInput.assertOneLine(run("train", "--preset", "quick", "--devices", "1", "--device", "cpu"), 2,
                "--devices chooses GPUs");
        BadInput.assertOneLine(run("ablation", "--preset", "nosuch"), 2, "nosuch");
        BadInput.assertOneLine(run("eval", "--run", dir.resolve("missing").toString()), 2, "no such run folder");
        BadInput.assertOneLine(run("predict", "--run", dir.resolve("missing").toString(), "--out",
                dir.resolve("o").toString(), "x.png"), 2, "no such run folder");
        BadInput.assertOneLine(run("gui", "--bench", "--snapshot-dir", dir.toString()), 2, "cannot be combined");
        // picocli's own usage errors come earlier still
        assertThat(run("train", "--no-such-flag").code()).isEqualTo(2);
        assertThat(reexecs).hasValue(0);
    }

    @Test
    void helpAndUnmarkedCommandsNeverReachTheReRun() {
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
        assertThat(reexecs).hasValue(0);
    }
}
