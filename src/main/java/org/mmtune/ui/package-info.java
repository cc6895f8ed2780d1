/**
 * The JavaFX workbench, on top of the pipeline packages (never the other way round).
 *
 * <p>Shell: {@link org.mmtune.ui.MmtuneApp} builds a {@link org.mmtune.ui.Workbench} (menu, tabs, status
 * bar, debug overlay on F12) from {@link org.mmtune.ui.WorkbenchViews#all()}. <b>Adding a view</b> (e.g.
 * Train, Results): write a self-contained node in its own sub-package with a constructor taking a
 * {@link org.mmtune.ui.WorkbenchContext}, and add one {@code new ViewSpec("Name", MyView::new)} line to
 * {@link org.mmtune.ui.WorkbenchViews#all()}. It then gets a tab, a Ctrl+N shortcut and a snapshot
 * ({@code gui --snapshot-dir DIR} writes {@code name.png}). The snapshot waits until
 * {@link org.mmtune.ui.common.Background#busyProperty()} is zero; implement
 * {@link org.mmtune.ui.SnapshotAware} to prepare the view (e.g. open a run) or to wait for something else.
 * Figures for {@code gui --bench} come from a bench in {@code org.mmtune.ui.bench} (the harness, which sits on
 * top of the views; views hold no benchmark or test code).
 *
 * <p>The context offers the open dataset ({@code datasetProperty()}), the run folder opened with
 * File ▸ Open Run ({@code runDirProperty()}), the status line ({@code report(String)}), the engine state,
 * and {@code shared(Class, Supplier)} for view models shared between views.
 *
 * <p>Shared helpers live in {@code org.mmtune.ui.common}: {@code Background} (jobs off the FX thread,
 * results on it), {@code Debouncer}, {@code Images} (byte[] → WritableImage, PNG export),
 * {@code ClassColors}, {@code ClassBarChart} (JFreeChart bars in class colours), {@code ZoomPane},
 * {@code Thumbnails}, {@code Perf} (timings for the overlay and the benchmark).
 *
 * <p>Views reach the core through their view models and core services (e.g. {@code experiment}'s
 * {@code CheckpointEmbedder}, {@code EngineInfo}, {@code runs.RunFiles}); they never use the command line,
 * the trainer ({@code train}), the network ({@code nn}) or DJL directly (see ArchitectureTest).
 */
package org.mmtune.ui;
