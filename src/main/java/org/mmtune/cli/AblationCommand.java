package org.mmtune.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mmtune.experiment.Ablation;
import org.mmtune.experiment.ConfigException;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmtune ablation}: the arms random / proxy / proxy-mm (/ random-mm) with equal fine-tuning budget. */
@Command(name = "ablation", mixinStandardHelpOptions = true,
        description = "Run the paper's comparison (random, proxy, proxy-mm[, random-mm]) and print the table.")
public final class AblationCommand implements Callable<Integer>, LoadsLibtorch {

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset (default ${DEFAULT-VALUE}).")
    String preset = "camvid";

    @Option(names = "--config", paramLabel = "FILE", description = "Experiment file instead of a preset.")
    Path config;

    @Option(names = "--runs-dir", paramLabel = "DIR", description = "Where the arms' run folders go (default runs/ablation-<preset>).")
    Path runsDir;

    @Option(names = "--with-random-mm", description = "Also run the random-mm arm.")
    boolean withRandomMm;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Overrides the config's device.")
    String device;

    @Option(names = "--devices", paramLabel = "N|LIST", description = "GPUs for data-parallel training: the first N, "
            + "or a list of ids such as 0,2 (default: every GPU DJL finds).")
    String devices;

    /** The base experiment read by {@link #validate()}. */
    private ExperimentConfig base;

    @Override
    public void validate() {
        try {
            base = config != null ? ExperimentConfigs.read(config) : ExperimentConfigs.preset(preset);
            org.mmtune.experiment.DatasetCheck.check(base, config != null ? config.toString() : "preset " + preset);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (devices != null && "cpu".equals(device)) {
            throw new IllegalArgumentException("--devices chooses GPUs; it does not go with --device cpu");
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dir = runsDir != null ? runsDir : Path.of("runs", "ablation-" + base.name);
        long t0 = System.nanoTime();
        List<Ablation.Row> rows = Ablation.run(base, dir, withRandomMm,
                (arm, cfg, runDir, resume) -> TrainCommand.runWithCtrlC(cfg, runDir, resume, device, devices, 1, arm));
        double minutes = (System.nanoTime() - t0) / 6e10;
        String title = String.format(Locale.ROOT, "Ablation '%s' on %s (this invocation: %.1f min)", base.name,
                base.dataset, minutes);
        Ablation.write(dir, rows, title);
        System.out.println(Ablation.markdown(rows, title));
        System.out.println("table written to " + dir.resolve("ablation.md") + " and " + dir.resolve("ablation.csv"));
        return 0;
    }
}
