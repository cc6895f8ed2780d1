package org.mmtune.cli;

/**
 * Marks a command that loads libtorch (train, ablation, eval, predict, bench train, bench memory, gui).
 * {@link LibtorchExecution}, the execution step of {@link MmtuneCli}, calls {@link #validate()}, then sets up the
 * engine's native environment ({@code train.OneDnnIsa}) before the command's {@code call()} loads libtorch.
 */
interface LoadsLibtorch {

    /**
     * The command's cheap argument checks, run before the engine is set up, so that a bad flag prints its
     * one-line message at once. Fails as the command would (an {@link IllegalArgumentException} means bad
     * usage, exit 2). It may keep what it has read for the command's {@code call()}, which runs after it in
     * the same process. The default checks nothing.
     */
    default void validate() throws Exception {
    }
}
