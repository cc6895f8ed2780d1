package org.mmtune.cli;

import org.mmtune.train.OneDnnIsa;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mmtune} command line. Every stage of the pipeline is a subcommand; the workbench calls the
 * same pipeline code. Exit codes: 0 ok, 1 failed, 2 bad usage. Errors are one plain line on stderr; the
 * full trace goes to the log file only.
 */
@Command(name = "mmtune",
        mixinStandardHelpOptions = true,
        version = "mmtune 0.1.0",
        description = "Mix-and-Match tuning workbench for self-supervised semantic segmentation.",
        subcommands = {
                CommandLine.HelpCommand.class,
                GuiCommand.class,
                InfoCommand.class,
                SynthCommand.class,
                MixCommand.class,
                MatchCommand.class,
                BenchCommand.class,
                TrainCommand.class,
                AblationCommand.class,
                EvalCommand.class,
                PredictCommand.class,
                ProbeCommand.class,
                WeightsCommand.class,
                EmbedCommand.class,
        })
public final class MmtuneCli implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(MmtuneCli.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Global (every subcommand accepts it); the default comes from {@code MMTUNE_PROGRESS}. */
    @CommandLine.Option(names = "--progress", scope = CommandLine.ScopeType.INHERIT, paramLabel = "MODE",
            defaultValue = "${env:MMTUNE_PROGRESS:-auto}",
            description = "Progress on stderr: auto (bar on a terminal, else lines), bar (one redrawn line), "
                    + "lines (plain lines, at most one per 10%% or 30 s, for log files), none. "
                    + "Default: the MMTUNE_PROGRESS variable, else auto.")
    void progress(ProgressMode mode) {
        ProgressPrinter.cliMode(mode);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the configured picocli command line (also used by tests). */
    public static CommandLine commandLine() {
        return commandLine(() -> OneDnnIsa.prepare(line -> {
            System.err.println("mmtune: " + line);
            System.err.flush();
        }));
    }

    /**
     * As above, with the engine set-up that commands marked {@link LoadsLibtorch} run before libtorch loads
     * ({@code engineSetup} is {@link OneDnnIsa#prepare()} except in tests).
     */
    static CommandLine commandLine(Runnable engineSetup) {
        CommandLine cl = new CommandLine(new MmtuneCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(new LibtorchExecution(engineSetup));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            LOG.debug("command failed", ex);
            commandLine.getErr().println("mmtune: " + UserMessages.describe(ex));
            commandLine.getErr().flush();
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }
}
