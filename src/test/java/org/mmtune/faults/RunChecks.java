package org.mmtune.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.runs.EmbeddingSnapshot;
import org.mmtune.experiment.runs.MetricsTailer;
import org.mmtune.experiment.runs.RunResults;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;
import org.mmtune.util.AtomicFiles;

/** What must hold for a run folder at any moment, also right after its writer was killed. */
final class RunChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATES = Set.of("running", "finished", "failed", "cancelled");

    private RunChecks() {
    }

    /** Every finished file parses or loads; temporary files are the only other files and never look real. */
    static void assertConsistent(Path run) throws Exception {
        if (Files.exists(run.resolve("config.json"))) {
            ExperimentConfigs.read(run.resolve("config.json"));
        }
        if (Files.exists(run.resolve("status.json"))) {
            JsonNode st = JSON.readTree(run.resolve("status.json").toFile());
            assertThat(STATES).contains(st.get("state").asText());
        }
        if (Files.exists(run.resolve("results.json"))) {
            assertThat(RunResults.read(run)).isPresent();
            assertThat(JSON.readTree(run.resolve("results.json").toFile()).get("mIoU").asDouble()).isBetween(0.0, 1.0);
        }
        // metrics: every complete line is a metrics object (a cut last line is held back by the reader)
        MetricsTailer metrics = new MetricsTailer(run);
        metrics.poll();
        assertThat(metrics.skippedLines()).as("unparsable metrics lines in " + run).isZero();
        for (Path e : EmbeddingSnapshot.list(run)) {
            assertThat(AtomicFiles.isTemp(e)).isFalse();
            EmbeddingSnapshot.read(e);
        }
        Path ck = run.resolve("checkpoints");
        for (Path f : list(ck)) {
            String name = f.getFileName().toString();
            boolean real = name.matches("(proxy|mm|finetune)\\.(params|json|momentum|prev\\.momentum)");
            assertThat(real || AtomicFiles.isTemp(f)).as("unexpected file " + f).isTrue();
            assertThat(real && AtomicFiles.isTemp(f)).isFalse();
        }
        for (Stage s : List.of(Stage.PROXY, Stage.MM, Stage.FINETUNE)) {
            Path params = Checkpoints.paramsFile(ck, s);
            if (Files.exists(params)) {
                loads(params);
            }
            if (Files.exists(Checkpoints.metaFile(ck, s))) {
                JSON.readTree(Checkpoints.metaFile(ck, s).toFile());
            }
            for (Path mo : List.of(Checkpoints.momentumFile(ck, s), Checkpoints.previousMomentumFile(ck, s))) {
                if (Files.exists(mo)) {
                    assertThat(Checkpoints.momentumIteration(mo)).as("momentum file " + mo).isPresent();
                }
            }
            // whenever momentum was saved, one momentum file matches the params, also after a kill mid-save
            if (Files.exists(params) && (Files.exists(Checkpoints.momentumFile(ck, s))
                    || Files.exists(Checkpoints.previousMomentumFile(ck, s)))) {
                int it = Checkpoints.resumePoint(ck, s).orElseThrow();
                assertThat(Checkpoints.momentumFileFor(ck, s, it)).as("momentum matching " + params).isPresent();
            }
        }
        for (Path p : list(run.resolve("predictions"))) {
            if (!AtomicFiles.isTemp(p)) {
                assertThat(ImageIO.read(p.toFile())).as("prediction " + p).isNotNull();
            }
        }
    }

    /** Loads a checkpoint into a network built from its own header (as eval, resume and the workbench do). */
    static void loads(Path params) throws Exception {
        Checkpoints.Header h = Checkpoints.header(params);
        MmtuneNet net = switch (h.head()) {
            case EMBEDDING -> MmtuneNet.embedding(h.spec());
            case SEGMENTATION -> MmtuneNet.segmentation(h.spec(), h.outputs());
            case COLORIZATION -> MmtuneNet.colorization(h.spec(), h.outputs());
        };
        try (Model model = Model.newInstance("check")) {
            model.setBlock(net);
            int side = Math.max(96, h.spec().minInputSize() + 1);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, side, side));
            Checkpoints.loadFull(params, net);
        }
    }

    /** Temporary files anywhere in the run folder. */
    static List<Path> temps(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(AtomicFiles::isTemp).toList();
        }
    }

    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.toList());
        }
    }
}
