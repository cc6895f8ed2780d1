package org.mmtune.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.eval.Probes;
import org.mmtune.experiment.ConfigException;
import org.mmtune.experiment.DatasetPaths;
import org.mmtune.experiment.DatasetSource;
import org.mmtune.experiment.DatasetSources;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.ProbeRunner;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Devices;
import org.mmtune.train.Stage;
import org.mmtune.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmtune probe}: the k-NN and linear probes of checkpoints, without fine-tuning. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Probe backbones without fine-tuning: k-NN patch classification on the pool5 embedding and a "
                + "linear (1x1 conv) probe on frozen conv5 features, scored on the validation split.")
public final class ProbeCommand implements Callable<Integer>, LoadsLibtorch {

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint (.params of any stage); repeatable.")
    List<Path> checkpoints = new java.util.ArrayList<>();

    @Option(names = "--run", paramLabel = "DIR", description = "Probe a run's initial, proxy and mm checkpoints "
            + "(those it has) with its config.")
    Path run;

    @Option(names = "--preset", paramLabel = "NAME", description = "Probe and patch settings from a preset "
            + "(default camvid) ...")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "... or from an experiment file.")
    Path config;

    @Option(names = "--dataset", paramLabel = "PATH", description = "Dataset folder (default: the config's).")
    String dataset;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Device (default ${DEFAULT-VALUE}).")
    String device = "auto";

    private ExperimentConfig cfg;
    private final Map<String, Path> todo = new LinkedHashMap<>();

    @Override
    public void validate() {
        if (checkpoints.isEmpty() && run == null) {
            throw new IllegalArgumentException("give --checkpoint FILE (repeatable) or --run DIR");
        }
        try {
            if (config != null) {
                cfg = ExperimentConfigs.read(config);
            } else if (run != null && preset == null) {
                cfg = ExperimentConfigs.read(run.resolve("config.json"));
            } else {
                cfg = ExperimentConfigs.preset(preset == null ? "camvid" : preset);
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (dataset != null) {
            cfg.dataset = dataset;
        }
        if (run != null) {
            Path dir = run.resolve("checkpoints");
            Path init = dir.resolve(ExperimentRunner.INITIAL_PARAMS);
            if (Files.isRegularFile(init)) {
                todo.put("initial", init);
            }
            for (Stage s : List.of(Stage.PROXY, Stage.MM, Stage.FINETUNE)) {
                if (Files.isRegularFile(Checkpoints.paramsFile(dir, s))) {
                    todo.put(s.id(), Checkpoints.paramsFile(dir, s));
                }
            }
            if (todo.isEmpty()) {
                throw new IllegalArgumentException(run + ": no checkpoints to probe");
            }
        }
        for (Path c : checkpoints) {
            if (!Files.isRegularFile(c)) {
                throw new IllegalArgumentException(c + ": no such checkpoint");
            }
            todo.put(c.toString(), c);
        }
    }

    @Override
    public Integer call() throws Exception {
        DatasetSource src = DatasetSources.standard();
        SegmentationDataset ds = src.open(DatasetPaths.resolve(cfg.dataset));
        Device dev = Devices.select(device);
        long t0 = System.nanoTime();
        int[] skipped = new int[1];
        Probes.Data data = ProbeRunner.data(cfg, ds, src, skipped);
        System.err.printf(Locale.ROOT, "probe data: %d gallery patches, %d query patches, %d + %d images for the "
                        + "linear probe%s (%.1f s)%n", data.gallery().count(), data.queries().count(),
                data.linearTrain().size(), data.linearVal().size(),
                skipped[0] > 0 ? ", " + skipped[0] + " unreadable image(s) skipped" : "", (System.nanoTime() - t0) / 1e9);
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode out = m.createObjectNode();
        System.out.println("| weights | k-NN acc. | k-NN mean class acc. | linear probe mIoU | linear pixel acc. | s |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, Path> e : todo.entrySet()) {
            Probes.Result r = ProbeRunner.probe(e.getValue(), data, ProbeRunner.settings(cfg.probes), dev, null);
            out.set(e.getKey(), m.valueToTree(r));
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.1f |%n", e.getKey(), r.knnAccuracy(),
                    r.knnMeanClassAccuracy(), r.linearProbeMIoU(), r.linearProbePixelAccuracy(), r.seconds());
        }
        if (json != null) {
            AtomicFiles.writeString(json, m.writeValueAsString(out));
        }
        return 0;
    }
}
