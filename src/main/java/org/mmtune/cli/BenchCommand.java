package org.mmtune.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mmtune bench}: benchmark commands that print measured figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure this machine and print the figures.",
        subcommands = {BenchMixCommand.class, BenchTrainCommand.class, BenchMemoryCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
