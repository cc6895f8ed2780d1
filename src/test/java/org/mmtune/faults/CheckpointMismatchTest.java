package org.mmtune.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.MmtuneCli;
import org.mmtune.data.synth.SyntheticDataset;
import org.mmtune.experiment.CheckpointEmbedder;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.RunOutcome;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.pipeline.TinyData;
import org.mmtune.train.CancellationToken;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;
import picocli.CommandLine;

/**
 * A checkpoint that does not fit the network (another width, backbone or number of classes, a header that
 * lies about its content, a cut file): {@code train}, {@code eval --run} and the workbench's checkpoint
 * embedder each say so in one line naming the file and the mismatch.
 */
class CheckpointMismatchTest {

    private static final NetSpec DIV16 = new NetSpec(BackboneType.ALEXNET, 16);
    private static final NetSpec DIV8 = new NetSpec(BackboneType.ALEXNET, 8);

    @TempDir
    Path tmp;

    /** Saves a real (randomly initialised) checkpoint of {@code net} as {@code dir/<stage>.params}. */
    private static Path save(Path dir, Stage stage, MmtuneNet net) throws Exception {
        try (Model model = Model.newInstance("ck")) {
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 96, 96));
            Checkpoints.save(dir, stage, net, 4, 4, true);
        }
        return Checkpoints.paramsFile(dir, stage);
    }

    /** Rewrites a params file's header to claim {@code spec}, keeping its parameters. */
    private static Path relabel(Path params, Path out, NetSpec spec) throws Exception {
        byte[] all = Files.readAllBytes(params);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        int magic = in.readInt();
        int version = in.readInt();
        in.readUTF();
        in.readInt();
        String head = in.readUTF();
        int outputs = in.readInt();
        int iteration = in.readInt();
        byte[] rest = in.readAllBytes();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(buf);
        d.writeInt(magic);
        d.writeInt(version);
        d.writeUTF(spec.backbone().id());
        d.writeInt(spec.widthDivisor());
        d.writeUTF(head);
        d.writeInt(outputs);
        d.writeInt(iteration);
        d.write(rest);
        Files.write(out, buf.toByteArray());
        return out;
    }

    @Test
    void trainRefusesAnInitialCheckpointOfAnotherWidthBeforeLoadingData() throws Exception {
        Path other = save(tmp.resolve("other"), Stage.MM, MmtuneNet.embedding(DIV8));
        ExperimentConfig c = new ExperimentConfig();
        c.name = "mismatch";
        c.dataset = "tiny";
        c.device = "cpu";
        c.backbone.widthDivisor = 16;
        c.proxy.enabled = false;
        c.initCheckpoint = other.toString();
        Path run = tmp.resolve("run");
        RunOutcome out = new ExperimentRunner(c, run, false, new CancellationToken(), List.of(),
                new TinyData.Fixture(2, 1, 96, 96), null).run();
        assertThat(out.state()).isEqualTo("failed");
        assertThat(out.message()).isEqualTo("initCheckpoint: " + other + ": does not fit the network: it holds "
                + "alexnet width ÷8, the config asks for alexnet width ÷16 (backbone.type / backbone.widthDivisor)");
        assertThat(new ObjectMapper().readTree(run.resolve("status.json").toFile()).get("message").asText())
                .isEqualTo(out.message());
        assertThat(Files.readString(run.resolve("run.log"))).doesNotContain("loaded");
        // a file that is no checkpoint at all
        Path junk = Files.writeString(tmp.resolve("junk.params"), "not a checkpoint at all");
        c.initCheckpoint = junk.toString();
        RunOutcome out2 = new ExperimentRunner(c, tmp.resolve("run2"), false, new CancellationToken(), List.of(),
                new TinyData.Fixture(2, 1, 96, 96), null).run();
        assertThat(out2.message()).isEqualTo("initCheckpoint: " + junk + ": not an mmtune checkpoint");
    }

    @Test
    void evalOfARunWhoseCheckpointPredictsOtherClassesIsOneLine() throws Exception {
        Path ds = tmp.resolve("ds");
        SyntheticDataset.write(ds, new SyntheticDataset.Spec(3, 1, 1, 96, 72), false); // 7 classes
        Path run = tmp.resolve("run");
        ExperimentConfig c = new ExperimentConfig();
        c.name = "other-classes";
        c.dataset = ds.toString();
        c.backbone.widthDivisor = 16;
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), ExperimentConfigs.toJson(c));
        Path params = save(run.resolve("checkpoints"), Stage.FINETUNE, MmtuneNet.segmentation(DIV16, 3));

        StringWriter err = new StringWriter();
        CommandLine cl = MmtuneCli.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("eval", "--run", run.toString(), "--device", "cpu")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("mmtune: " + params
                + ": does not fit the dataset: the checkpoint predicts 3 classes, the dataset has 7");
    }

    @Test
    void theCheckpointEmbedderNamesTheFileAndTheMismatch() throws Exception {
        Path params = save(tmp.resolve("a/checkpoints"), Stage.MM, MmtuneNet.embedding(DIV16));
        // a header that claims another width than the parameters it holds
        Path lying = relabel(params, tmp.resolve("lying.params"), DIV8);
        assertThatThrownBy(() -> CheckpointEmbedder.load(lying))
                .hasMessageStartingWith(lying + ": checkpoint does not fit the network: ")
                .hasMessageNotContaining("\n");
        // another backbone altogether
        Path vgg = relabel(params, tmp.resolve("vgg.params"), new NetSpec(BackboneType.VGG16, 16));
        assertThatThrownBy(() -> CheckpointEmbedder.load(vgg))
                .hasMessageStartingWith(vgg + ": checkpoint does not fit the network: ");
        // a file cut short (e.g. copied while being written by hand)
        byte[] all = Files.readAllBytes(params);
        Path cut = Files.write(tmp.resolve("cut.params"), Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> CheckpointEmbedder.load(cut))
                .hasMessage(cut + ": truncated checkpoint (it ends before all parameters are read)");
        Path cutHeader = Files.write(tmp.resolve("cut-header.params"), Arrays.copyOf(all, 12));
        assertThatThrownBy(() -> CheckpointEmbedder.load(cutHeader))
                .hasMessage(cutHeader + ": truncated checkpoint (the header is incomplete)");
        // the real one still loads
        try (CheckpointEmbedder e = CheckpointEmbedder.load(params)) {
            assertThat(e.params()).isEqualTo(params);
        }
    }
}
