package org.mmtune.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.MmtuneCli;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.experiment.RunOutcome;
import org.mmtune.pipeline.TinyData;
import org.mmtune.train.CancellationToken;
import org.mmtune.util.Failures;
import org.mmtune.util.UserMessages;
import picocli.CommandLine;

/**
 * A full disk (a real tmpfs of a few hundred KB), a read-only run folder (a real read-only bind mount: we run
 * as root, so permissions alone would not stop a write), a run folder that cannot be created, and a batch
 * too large for memory: each ends the run with one plain line naming the file or the config keys, a
 * status that is not left "running", and no half files.
 */
class DiskAndMemoryFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (int i = mounts.size() - 1; i >= 0; i--) {
            sh("umount", "-l", mounts.get(i).toString());
        }
    }

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** Mounts a tmpfs of {@code size} at {@code dir}; skips the test where mounting is not allowed. */
    private void tmpfs(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        int rc = sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Assumptions.assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root)");
        mounts.add(dir);
    }

    /** A tiny M&amp;M + fine-tuning run on generated scenes in memory. */
    private static ExperimentConfig tiny() {
        ExperimentConfig c = new ExperimentConfig();
        c.name = "faults";
        c.dataset = "tiny";
        c.device = "cpu";
        c.seed = 5;
        c.backbone.widthDivisor = 16;
        c.proxy.enabled = false;
        c.mm.iterations = 8;
        c.mm.outSize = 72;
        c.mm.imagesPerBatch = 4;
        c.mm.patchesPerImage = 4;
        c.mm.minSize = 32;
        c.mm.maxSize = 64;
        c.mm.embeddingsEvery = 0;
        c.mm.checkpointEvery = 2;
        c.finetune.iterations = 4;
        c.finetune.batchSize = 2;
        c.finetune.cropSize = 80;
        c.finetune.evalEvery = 0;
        c.finetune.checkpointEvery = 2;
        c.eval.savePredictions = false;
        return c;
    }

    private static RunOutcome run(ExperimentConfig c, Path dir, boolean resume) throws Exception {
        return new ExperimentRunner(c, dir, resume, new CancellationToken(), List.of(),
                new TinyData.Fixture(5, 2, 96, 96), MixMatchSource.factory()).run();
    }

    private static JsonNode status(Path run) throws Exception {
        return JSON.readTree(run.resolve("status.json").toFile());
    }

    private static String cli(int expectedCode, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = MmtuneCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute(args)).as(err.toString()).isEqualTo(expectedCode);
        return err.toString().strip();
    }

    @Test
    void aFullDiskStopsTheRunWithOneLineAndResumeFinishesOnceThereIsRoom() throws Exception {
        Path disk = tmp.resolve("disk");
        tmpfs(disk, "160k");
        Path run = disk.resolve("run");
        RunOutcome out = run(tiny(), run, false);
        assertThat(out.state()).as(out.message()).isEqualTo("failed");
        assertThat(out.message()).matches(java.util.regex.Pattern.quote(run.toString())
                + "/\\S+: cannot write \\(No space left on device\\)");
        assertThat(status(run).get("state").asText()).isEqualTo("failed");
        assertThat(status(run).get("message").asText()).isEqualTo(out.message());
        assertThat(RunChecks.temps(run)).isEmpty();
        RunChecks.assertConsistent(run);

        // room again: the run resumes from its last checkpoint and finishes
        assertThat(sh("mount", "-o", "remount,size=4m", disk.toString())).isZero();
        RunOutcome again = run(tiny(), run, true);
        assertThat(again.state()).as(again.message()).isEqualTo("finished");
        RunChecks.assertConsistent(run);
        assertThat(run.resolve("results.json")).exists();
    }

    @Test
    void aReadOnlyOrUncreatableRunFolderIsOneLineNamingTheFile() throws Exception {
        Path cfg = tmp.resolve("exp.json");
        ExperimentConfig c = tiny();
        Path ds = tmp.resolve("ds"); // a real dataset: the CLI checks the config against it before anything else
        org.mmtune.data.synth.SyntheticDataset.write(ds, new org.mmtune.data.synth.SyntheticDataset.Spec(2, 1, 1, 96, 72),
                false);
        c.dataset = ds.toString();
        Files.writeString(cfg, ExperimentConfigs.toJson(c));

        // a run folder whose parent is a regular file
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String err = cli(1, "train", "--config", cfg.toString(), "--run-dir", file.resolve("run").toString());
        assertThat(err).isEqualTo("mmtune: " + file.resolve("run") + ": cannot create the run folder (Not a directory)");

        // a read-only folder (a real read-only bind mount)
        Path ro = tmp.resolve("ro");
        Path old = ro.resolve("old-run");
        Files.createDirectories(old);
        Files.writeString(old.resolve("config.json"), ExperimentConfigs.toJson(c));
        Assumptions.assumeTrue(sh("mount", "--bind", ro.toString(), ro.toString()) == 0, "cannot bind-mount here");
        mounts.add(ro);
        assertThat(sh("mount", "-o", "remount,ro,bind", ro.toString())).isZero();
        String fresh = cli(1, "train", "--config", cfg.toString(), "--run-dir", ro.resolve("new").toString());
        assertThat(fresh).isEqualTo("mmtune: " + ro.resolve("new") + ": cannot create the run folder (Read-only file system)");
        String resume = cli(1, "train", "--resume", "--run-dir", old.toString());
        assertThat(resume).isEqualTo("mmtune: " + old.resolve("run.lock")
                + ": cannot write in the run folder (Read-only file system)");
        try (var s = Files.list(old)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
    }

    @Test
    void aBatchTooLargeForMemoryFailsWithAdviceAndNoHalfFiles() throws Exception {
        ExperimentConfig c = tiny();
        c.mm.enabled = false;
        c.finetune.batchSize = 2048;
        c.finetune.cropSize = 1000; // 2048 x 1000² floats = 8 GB for the batch alone, beyond the test JVM's heap
        Path run = tmp.resolve("run");
        RunOutcome out = run(c, run, false);
        assertThat(out.state()).isEqualTo("failed");
        assertThat(out.message()).isEqualTo("out of memory in finetune: the batch is too large; try a smaller "
                + "finetune.batchSize 2048 or finetune.cropSize 1000 (or a larger backbone.widthDivisor)");
        assertThat(status(run).get("state").asText()).isEqualTo("failed");
        assertThat(run.resolve("checkpoints/finetune.params")).doesNotExist();
        assertThat(RunChecks.temps(run)).isEmpty();
        RunChecks.assertConsistent(run);
        assertThat(Files.readString(run.resolve("run.log"))).contains("failed: out of memory in finetune");
    }

    @Test
    void theEnginesOwnAllocationFailureIsRecognised() {
        // a tensor larger than any address space: libtorch refuses it at once, whatever the machine
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> m.zeros(new Shape(1L << 46)))
                    .satisfies(e -> {
                        assertThat(Failures.isOutOfMemory(e)).as(e.getMessage()).isTrue();
                        assertThat(UserMessages.describe(e)).startsWith("out of memory: try a smaller batch");
                    });
        }
        assertThat(Failures.isOutOfMemory(new IllegalStateException("patch size 3, expected 4"))).isFalse();
    }
}
