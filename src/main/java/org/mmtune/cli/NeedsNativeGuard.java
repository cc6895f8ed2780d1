package org.mmtune.cli;

/**
 * Marks a command that loads libtorch (train, ablation, eval, predict, bench train, bench memory, gui): it
 * must run with {@code ONEDNN_MAX_CPU_ISA=AVX} in its environment (see {@link NativeGuard}). Such commands
 * do not re-run themselves: {@link GuardedExecution}, the execution step of {@link MmtuneCli}, calls
 * {@link #validate()}, then {@link NativeGuard#reexecIfNeeded()}, and calls the command itself only when no
 * child JVM ran (returning the child's exit code otherwise).
 */
interface NeedsNativeGuard {

    /**
     * The command's cheap argument checks, run in this process before any re-run, so that a bad flag prints
     * its one-line message without starting a child JVM. Fails as the command would (an
     * {@link IllegalArgumentException} means bad usage, exit 2). It may keep what it has read for the
     * command's {@code call()}, which runs after it in the same process. The default checks nothing.
     */
    default void validate() throws Exception {
    }
}
