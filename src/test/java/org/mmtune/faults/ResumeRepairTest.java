package org.mmtune.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.RunFolder;
import org.mmtune.experiment.runs.MetricsTailer;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;

/**
 * What a kill leaves and a resume tidies, made by hand so every case is certain: a params file newer than
 * its json (killed between the two renames), a cut last metrics line, metrics of iterations after the last
 * checkpoint, a stage with no checkpoint yet, and a dead writer's temporary file.
 */
class ResumeRepairTest {

    @TempDir
    Path run;

    /** A params file holding only the header (all that resume points and metric trimming read). */
    private static void header(Path params, String head, int iteration) throws Exception {
        Files.createDirectories(params.getParent());
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(params))) {
            d.writeInt(0x4d4d544e);
            d.writeInt(2);
            d.writeUTF("alexnet");
            d.writeInt(16);
            d.writeUTF(head);
            d.writeInt(64);
            d.writeInt(iteration);
        }
    }

    @Test
    void resumeDropsACutLineAndMetricsPastTheCheckpointsAndRemovesDeadTemps() throws Exception {
        Files.writeString(run.resolve("config.json"), "{}");
        Path ck = run.resolve("checkpoints");
        header(Checkpoints.paramsFile(ck, Stage.MM), "EMBEDDING", 4);
        Files.writeString(Checkpoints.metaFile(ck, Stage.MM), "{\"stage\":\"mm\",\"iteration\":2,\"totalIterations\":8,"
                + "\"complete\":false,\"backbone\":\"alexnet\",\"widthDivisor\":16,\"head\":\"EMBEDDING\",\"outputs\":64,"
                + "\"savedAt\":1}");
        Path dead = Files.writeString(ck.resolve(".mm.params.tmp-4194999-1"), "half a checkpoint");
        StringBuilder m = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            m.append("{\"stage\":\"mm\",\"iteration\":").append(i).append(",\"totalIterations\":8,\"loss\":1.0,"
                    + "\"lr\":0.01,\"time\":1.0,\"elapsedSeconds\":1.0}\n");
        }
        m.append("{\"stage\":\"finetune\",\"iteration\":1,\"totalIterations\":8,\"loss\":1.0,\"lr\":0.01,\"time\":1.0,"
                + "\"elapsedSeconds\":1.0}\n");
        m.append("{\"stage\":\"finetune\",\"iter"); // cut by the kill
        Files.writeString(run.resolve("metrics.jsonl"), m);

        assertThat(Checkpoints.resumePoint(ck, Stage.MM)).hasValue(4); // the params, not the stale json
        assertThat(Checkpoints.resumePoint(ck, Stage.FINETUNE)).isEmpty();
        try (RunFolder folder = RunFolder.open(run, true)) {
            assertThat(folder.dir()).isEqualTo(run);
        }
        assertThat(dead).doesNotExist();
        List<Integer> its = MetricsTailer.readAll(run).stream().map(p -> p.iteration()).toList();
        assertThat(its).containsExactly(1, 2, 3, 4);
        assertThat(Files.readString(run.resolve("metrics.jsonl"))).endsWith("}\n");
        assertThat(Files.readString(run.resolve("run.log")))
                .contains("resume: removed 1 unfinished temporary file(s), dropped 4 metrics line(s)");
    }
}
