package org.mmtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mmtune.experiment.ConfigException;
import org.mmtune.experiment.DatasetCheck;
import org.mmtune.experiment.DatasetSources;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.ExperimentRunner;
import org.mmtune.experiment.MixMatchSource;
import org.mmtune.experiment.RunOutcome;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.train.CancellationToken;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmtune train}: runs an experiment (proxy → M&M → fine-tune → eval) into a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Run an experiment (colorization proxy, M&M tuning, FCN fine-tuning, evaluation) into a run folder.")
public final class TrainCommand implements Callable<Integer>, LoadsLibtorch {

    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "Experiment JSON file.")
        Path config;

        @Option(names = "--preset", paramLabel = "NAME", description = "Bundled preset: quick or camvid.")
        String preset;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default runs/<name>-<time>).")
    Path runDir;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Overrides the config's device.")
    String device;

    @Option(names = "--devices", paramLabel = "N|LIST", description = "GPUs for data-parallel training: the first N, "
            + "or a list of ids such as 0,2 (default: every GPU DJL finds).")
    String devices;

    @Option(names = "--cpu-replicas", paramLabel = "N", hidden = true,
            description = "Data-parallel code path with N replicas on the CPU (for checks; no speed-up).")
    int cpuReplicas = 1;

    @Option(names = "--resume", description = "Continue the run in --run-dir from its last checkpoints.")
    boolean resume;

    /** The experiment read by {@link #validate()}. */
    private ExperimentConfig cfg;

    @Override
    public void validate() {
        if (source == null && !resume) {
            throw new IllegalArgumentException("give --config FILE or --preset NAME (or --resume --run-dir DIR)");
        }
        if (resume && runDir == null) {
            throw new IllegalArgumentException("--resume needs --run-dir DIR");
        }
        try {
            if (resume && source == null) {
                cfg = ExperimentConfigs.read(RunFiles.config(runDir));
            } else if (source.config != null) {
                cfg = ExperimentConfigs.read(source.config);
            } else {
                cfg = ExperimentConfigs.preset(source.preset);
            }
            if (!resume) {
                // the dataset and its splits are checked before the run folder exists
                DatasetCheck.check(cfg, source.config != null ? source.config.toString() : "preset " + source.preset);
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (device != null && !List.of("cpu", "gpu", "auto").contains(device)) {
            throw new IllegalArgumentException("--device: '" + device + "' is not cpu, gpu or auto");
        }
        if (cpuReplicas < 1) {
            throw new IllegalArgumentException("--cpu-replicas must be at least 1");
        }
        if (devices != null && "cpu".equals(device)) {
            throw new IllegalArgumentException("--devices chooses GPUs; it does not go with --device cpu");
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dir = runDir != null ? runDir : Path.of("runs", cfg.name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (resume && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such run folder");
        }
        // printed before the Ctrl-C hook lets the JVM exit, so a cancelled run still says so in one line
        RunOutcome out = runWithCtrlC(cfg, dir, resume, device, devices, cpuReplicas, cfg.name,
                o -> System.out.println(o.state() + ": " + o.message() + " (run folder " + dir + ")"));
        return out.finished() ? 0 : 1;
    }

    /** Runs with a progress bar on stderr; Ctrl-C cancels within one iteration and records "cancelled". */
    static RunOutcome runWithCtrlC(ExperimentConfig cfg, Path dir, boolean resume, String device, String label)
            throws Exception {
        return runWithCtrlC(cfg, dir, resume, device, null, 1, label);
    }

    /** As above, with the data-parallel device choice ({@code --devices}, {@code --cpu-replicas}). */
    static RunOutcome runWithCtrlC(ExperimentConfig cfg, Path dir, boolean resume, String device, String devices,
                                   int cpuReplicas, String label) throws Exception {
        return runWithCtrlC(cfg, dir, resume, device, devices, cpuReplicas, label, null);
    }

    /**
     * As above; {@code report} (if given) receives the outcome before a pending Ctrl-C/SIGTERM shutdown is let
     * go on, so that what it prints is not lost when the JVM exits right after.
     */
    static RunOutcome runWithCtrlC(ExperimentConfig cfg, Path dir, boolean resume, String device, String devices,
                                   int cpuReplicas, String label, java.util.function.Consumer<RunOutcome> report)
            throws Exception {
        CancellationToken cancel = new CancellationToken();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                done.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mmtune-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ExperimentRunner runner = new ExperimentRunner(cfg, dir, resume, cancel,
                    List.of(ProgressPrinter.forCli(System.err, label)), DatasetSources.standard(), MixMatchSource.factory());
            if (device != null) {
                runner.device(device);
            }
            runner.devices(devices, cpuReplicas);
            RunOutcome out = runner.run();
            if (report != null) {
                report.accept(out);
            }
            return out;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }
}
