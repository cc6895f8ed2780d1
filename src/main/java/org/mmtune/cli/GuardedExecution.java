package org.mmtune.cli;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where commands that load libtorch are re-run in a child JVM ({@link NativeGuard}): picocli's
 * {@link CommandLine.RunLast}, preceded, when the command to run is a {@link NeedsNativeGuard}, by its
 * {@link NeedsNativeGuard#validate()} and the re-run. Help requests ({@code --help}, {@code --version}) are
 * answered first and never re-run anything. Failures of {@code validate()} reach the command line's
 * execution exception handler exactly as failures of {@code call()} do.
 */
final class GuardedExecution implements IExecutionStrategy {

    private final Supplier<OptionalInt> reexec;
    private final IExecutionStrategy delegate = new CommandLine.RunLast();

    /** {@code reexec} is {@link NativeGuard#reexecIfNeeded()} except in tests: empty, or a child's exit code. */
    GuardedExecution(Supplier<OptionalInt> reexec) {
        this.reexec = reexec;
    }

    @Override
    public int execute(ParseResult parseResult) throws ExecutionException, ParameterException {
        Integer helpExit = CommandLine.executeHelpRequest(parseResult);
        if (helpExit != null) {
            return helpExit;
        }
        List<CommandLine> parsed = parseResult.asCommandLineList();
        CommandLine last = parsed.get(parsed.size() - 1);
        if (last.getCommand() instanceof NeedsNativeGuard command) {
            try {
                command.validate();
            } catch (ParameterException | ExecutionException e) {
                throw e;
            } catch (Exception e) {
                // wrapped as picocli wraps an exception from call(), so the same handler prints it
                throw new ExecutionException(last, "Error while calling command (" + command + "): " + e, e);
            }
            OptionalInt child = reexec.get();
            if (child.isPresent()) {
                last.setExecutionResult(child.getAsInt());
                return child.getAsInt();
            }
        }
        return delegate.execute(parseResult);
    }
}
