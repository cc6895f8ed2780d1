package org.mmtune.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * picocli's {@link CommandLine.RunLast}, preceded, when the command to run is a {@link LoadsLibtorch}, by its
 * {@link LoadsLibtorch#validate()} and then the engine set-up (the oneDNN ISA, which must be in place before
 * libtorch loads). Help requests ({@code --help}, {@code --version}) are answered first. Failures of
 * {@code validate()} reach the command line's execution exception handler exactly as failures of
 * {@code call()} do.
 */
final class LibtorchExecution implements IExecutionStrategy {

    private final Runnable engineSetup;
    private final IExecutionStrategy delegate = new CommandLine.RunLast();

    /** {@code engineSetup} is {@code OneDnnIsa::prepare} except in tests. */
    LibtorchExecution(Runnable engineSetup) {
        this.engineSetup = engineSetup;
    }

    @Override
    public int execute(ParseResult parseResult) throws ExecutionException, ParameterException {
        Integer helpExit = CommandLine.executeHelpRequest(parseResult);
        if (helpExit != null) {
            return helpExit;
        }
        List<CommandLine> parsed = parseResult.asCommandLineList();
        CommandLine last = parsed.get(parsed.size() - 1);
        if (last.getCommand() instanceof LoadsLibtorch command) {
            try {
                command.validate();
                engineSetup.run();
            } catch (ParameterException | ExecutionException e) {
                throw e;
            } catch (Exception e) {
                // wrapped as picocli wraps an exception from call(), so the same handler prints it
                throw new ExecutionException(last, "Error while calling command (" + command + "): " + e, e);
            }
        }
        return delegate.execute(parseResult);
    }
}
