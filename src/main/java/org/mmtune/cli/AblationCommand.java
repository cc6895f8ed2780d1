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

/**
 * {@code mmtune ablation}: the arms random / proxy / proxy-mm / proxy-mm-random (/ random-mm) with equal
 * fine-tuning budget, over one or more seeds, with paired statistics.
 */
@Command(name = "ablation", mixinStandardHelpOptions = true,
        description = "Run the paper's comparison (random, proxy, proxy-mm, proxy-mm-random[, random-mm]) over seeds "
                + "and print the table with paired 95% intervals.")
public final class AblationCommand implements Callable<Integer>, NeedsNativeGuard {

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset (default ${DEFAULT-VALUE}).")
    String preset = "camvid";

    @Option(names = "--config", paramLabel = "FILE", description = "Experiment file instead of a preset.")
    Path config;

    @Option(names = "--runs-dir", paramLabel = "DIR", description = "Where the arms' run folders go (default runs/ablation-<preset>).")
    Path runsDir;

    @Option(names = "--with-random-mm", description = "Also run the random-mm arm.")
    boolean withRandomMm;

    @Option(names = "--seeds", paramLabel = "N|LIST", description = "Seeds: a count N (the config's seed and the "
            + "N-1 following) or a list such as 1,2,3 (default: the config's seed only).")
    String seeds;

    @Option(names = "--labelled-fraction", paramLabel = "F", description = "Overrides labelledFraction: the share "
            + "of training images whose labels M&M and fine-tuning use, in (0, 1].")
    Double labelledFraction;

    @Option(names = "--labelled-images", paramLabel = "N", description = "Overrides labelledImages: exactly N "
            + "labelled training images.")
    Integer labelledImages;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Overrides the config's device.")
    String device;

    @Option(names = "--devices", paramLabel = "N|LIST", description = "GPUs for data-parallel training: the first N, "
            + "or a list of ids such as 0,2 (default: every GPU DJL finds).")
    String devices;

    /** The base experiment read by {@link #validate()}. */
    private ExperimentConfig base;
    private List<Long> seedList;

    @Override
    public void validate() {
        try {
            base = config != null ? ExperimentConfigs.read(config) : ExperimentConfigs.preset(preset);
            org.mmtune.experiment.DatasetCheck.check(base, config != null ? config.toString() : "preset " + preset);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (labelledFraction != null) {
            base.labelledFraction = labelledFraction;
            base.labelledImages = 0;
        }
        if (labelledImages != null) {
            base.labelledImages = labelledImages;
            if (labelledFraction == null) {
                base.labelledFraction = 1.0;
            }
        }
        for (String p : base.problems()) {
            if (p.startsWith("labelledFraction") && labelledFraction != null) {
                throw new IllegalArgumentException("--labelled-fraction: " + p.substring(p.indexOf(':') + 2));
            }
            if (p.startsWith("labelledImages") && labelledImages != null) {
                throw new IllegalArgumentException("--labelled-images: " + p.substring(p.indexOf(':') + 2));
            }
        }
        seedList = Ablation.parseSeeds(seeds, base.seed);
        if (devices != null && "cpu".equals(device)) {
            throw new IllegalArgumentException("--devices chooses GPUs; it does not go with --device cpu");
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dir = runsDir != null ? runsDir : Path.of("runs", "ablation-" + base.name);
        long t0 = System.nanoTime();
        Ablation.Result result = Ablation.run(base, dir, seedList, withRandomMm,
                (arm, cfg, runDir, resume) -> TrainCommand.runWithCtrlC(cfg, runDir, resume, device, devices, 1,
                        arm + " s" + cfg.seed));
        double minutes = (System.nanoTime() - t0) / 6e10;
        String title = String.format(Locale.ROOT, "Ablation '%s' on %s (this invocation: %.1f min)", base.name,
                base.dataset, minutes);
        Ablation.write(dir, result.rows(), title, base);
        System.out.println(Ablation.markdown(result.rows(), title, base));
        System.out.println("written: " + dir.resolve("ablation.json") + ", " + dir.resolve("ablation.md") + ", "
                + dir.resolve("ablation.csv"));
        if (result.stopped() != null) {
            System.out.println("stopped: " + result.stopped() + " (run the same command again to resume)");
            return 1;
        }
        return 0;
    }
}
