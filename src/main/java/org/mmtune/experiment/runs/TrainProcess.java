package org.mmtune.experiment.runs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run as a child process of our own command line ({@code org.mmtune.Launcher train --config
 * FILE --run-dir DIR}), started with the same Java and class path as this process. The child writes
 * the run folder; whoever started it follows that folder. A native crash in the child cannot take the
 * caller down. Cancelling destroys the process tree politely first (so the child's shutdown hook can
 * record {@code cancelled}), then forcibly.
 */
public final class TrainProcess {

    private static final Logger LOG = LoggerFactory.getLogger(TrainProcess.class);

    /** System properties handed on to the child (offline switches, caches, sample data location). */
    private static final String[] INHERITED_PREFIXES = {"ai.djl.", "mmtune.", "org.bytedeco.", "DJL_", "OPT_OUT"};

    private final Process process;
    private final Path runDir;
    private final Path consoleFile;

    private TrainProcess(Process process, Path runDir, Path consoleFile) {
        this.process = process;
        this.runDir = runDir;
        this.consoleFile = consoleFile;
    }

    /** The command line that would run {@code mmtune train} with this process's Java and class path. */
    public static List<String> command(Path configFile, Path runDir, String device, List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of("train", "--config", configFile.toAbsolutePath().toString(),
                "--run-dir", runDir.toAbsolutePath().toString()));
        if (device != null && !device.isBlank()) {
            args.add("--device");
            args.add(device);
        }
        if (extraArgs != null) {
            args.addAll(extraArgs);
        }
        return cliCommand(args);
    }

    /** The command line that runs {@code mmtune ARGS...} with this process's Java and class path. */
    public static List<String> cliCommand(List<String> cliArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        String xmx = System.getProperty("mmtune.childXmx", "3g");
        cmd.add("-Xmx" + xmx);
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String k = e.getKey().toString();
            for (String prefix : INHERITED_PREFIXES) {
                if (k.startsWith(prefix) && !k.equals("mmtune.childXmx")) {
                    cmd.add("-D" + k + "=" + e.getValue());
                    break;
                }
            }
        }
        cmd.add("org.mmtune.Launcher");
        cmd.addAll(cliArgs);
        return cmd;
    }

    static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", File.separatorChar == '\\' ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Starts the child; its terminal output goes to a temporary file, read back by {@link #consoleTail}. */
    public static TrainProcess start(Path configFile, Path runDir, String device, List<String> extraArgs)
            throws IOException {
        return start(command(configFile, runDir, device, extraArgs), runDir);
    }

    /**
     * Starts any {@code mmtune} command as a child (e.g. {@code predict} for a run's missing predictions);
     * {@code runDir} is the run it works on.
     */
    public static TrainProcess startCli(List<String> cliArgs, Path runDir) throws IOException {
        return start(cliCommand(cliArgs), runDir);
    }

    private static TrainProcess start(List<String> cmd, Path runDir) throws IOException {
        Path console = Files.createTempFile("mmtune-train-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        pb.environment().putIfAbsent("OPT_OUT_TRACKING", "true");
        LOG.info("starting child: {}", String.join(" ", cmd.subList(3, cmd.size())));
        Process p = pb.start();
        return new TrainProcess(p, runDir, console);
    }

    public Path runDir() {
        return runDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or empty while it still runs. */
    public java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    public boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the child and everything it started: SIGTERM to the tree (the child records
     * {@code cancelled} in its shutdown hook), then a forced kill if it is still alive after
     * {@code graceMillis}.
     */
    public void destroyTree(long graceMillis) {
        List<ProcessHandle> kids = process.descendants().toList();
        kids.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                LOG.info("training child {} did not stop within {} ms, killing it", process.pid(), graceMillis);
                kids.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            kids.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines the child printed (errors are one plain line there). */
    public List<String> consoleTail(int maxLines) {
        try {
            List<String> all = Files.readAllLines(consoleFile, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String l : all) {
                // progress bars redraw with carriage returns: keep the last state of each line
                int cr = l.lastIndexOf('\r');
                String s = cr >= 0 ? l.substring(cr + 1) : l;
                if (!s.isBlank()) {
                    lines.add(s.strip());
                }
            }
            return lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes the temporary console file (call when the job is over). */
    public void cleanup() {
        try {
            Files.deleteIfExists(consoleFile);
        } catch (IOException e) {
            LOG.debug("could not delete {}", consoleFile, e);
        }
    }
}
