package org.mmtune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.mmtune.train.KernelCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that run the network (train, ablation, eval, predict, bench train, bench memory, gui) need {@code ONEDNN_MAX_CPU_ISA=AVX} in the environment before libtorch loads
 * (see {@link KernelCheck}); Java cannot set it for itself, so when it is missing the command re-runs
 * this very command line in a child JVM with the variable set, passes its output through, forwards
 * Ctrl-C (the child records "cancelled") and returns its exit code. Set {@code -Dmmtune.reexec=false} or
 * the variable yourself to skip this. Those commands are marked {@link NeedsNativeGuard}; the one call of
 * {@link #reexecIfNeeded()} is in {@link GuardedExecution}, after the command's argument checks.
 */
final class NativeGuard {

    private static final Logger LOG = LoggerFactory.getLogger(NativeGuard.class);

    private NativeGuard() {
    }

    private static volatile String[] cliArguments;

    /** The command-line arguments {@code mmtune} was started with (needed when the OS does not report them). */
    static void rememberArguments(String[] args) {
        cliArguments = args.clone();
    }

    /**
     * This process's command line: as the OS reports it, or, when it does not (Java reports no arguments
     * for command lines over 4 KB, e.g. a long {@code -cp}), rebuilt from this JVM's options, class path and
     * the remembered {@code mmtune} arguments. Null when neither is known.
     */
    static List<String> commandLine() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> cmd = info.command();
        Optional<String[]> args = info.arguments();
        List<String> line = new ArrayList<>();
        if (cmd.isPresent() && args.isPresent() && args.get().length > 0) {
            line.add(cmd.get());
            line.addAll(List.of(args.get()));
            return line;
        }
        String[] cli = cliArguments;
        if (cli == null) {
            return null;
        }
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        line.add("-cp");
        line.add(System.getProperty("java.class.path"));
        line.add("org.mmtune.Launcher");
        line.addAll(List.of(cli));
        return line;
    }

    /** Empty when this process may train as it is; otherwise the exit code of the re-run child. */
    static OptionalInt reexecIfNeeded() {
        if (System.getenv(KernelCheck.ISA_VARIABLE) != null || "false".equals(System.getProperty("mmtune.reexec"))) {
            return OptionalInt.empty();
        }
        List<String> line = commandLine();
        if (line == null) {
            LOG.debug("cannot see this process's command line; not re-running with {}", KernelCheck.ISA_VARIABLE);
            return OptionalInt.empty();
        }
        ProcessBuilder pb = new ProcessBuilder(line).inheritIO();
        pb.environment().put(KernelCheck.ISA_VARIABLE, "AVX");
        pb.environment().putIfAbsent("OPT_OUT_TRACKING", "true");
        try {
            Process p = pb.start();
            Thread hook = new Thread(() -> {
                if (p.isAlive()) {
                    p.destroy();
                    try {
                        p.waitFor(90, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "mmtune-child-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            int code = p.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
            return OptionalInt.of(code);
        } catch (IOException e) {
            LOG.debug("re-run failed", e);
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(1);
        }
    }
}
