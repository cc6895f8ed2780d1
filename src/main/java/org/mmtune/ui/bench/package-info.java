/**
 * The workbench's measuring and automation harness, kept apart from the views: {@link
 * org.mmtune.ui.bench.AutoDriver} drives the window without a user ({@code gui --snapshot-dir} writes one PNG
 * per view, {@code gui --bench} runs the views' benchmarks {@link org.mmtune.ui.bench.MixBench}, {@link
 * org.mmtune.ui.bench.MatchBench} and {@link org.mmtune.ui.bench.TrainFollowBench}), and {@link
 * org.mmtune.ui.bench.StallMonitor} measures how long the FX thread is blocked ({@code gui --stall-monitor},
 * always on with {@code --bench}).
 *
 * <p>The harness sits on top of the views: it reaches them through their public view models and their
 * nodes' ids ({@code #patch-grid}), and no view depends on it. The shell ({@code MmtuneApp}, {@code
 * Workbench}, {@code WorkbenchContext}) starts it and names the stall monitor's phases.
 */
package org.mmtune.ui.bench;
