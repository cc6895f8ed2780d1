package org.mmtune.ui.train;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.control.TaskProgressView;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.runs.RunCatalog;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.CloseGuard;
import org.mmtune.ui.SnapshotAware;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.ClassColors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Train view: the experiment as a form (presets, load/save the CLI's JSON), a queue of training
 * jobs each run as a child process with progress, ETA and cancel, and the followed run's live charts,
 * embedding view and log tail. Follows runs started here, opened with File ▸ Open run, or chosen with
 * "Follow run folder…".
 */
public final class TrainView extends BorderPane implements SnapshotAware, CloseGuard {

    private static final Logger LOG = LoggerFactory.getLogger(TrainView.class);

    private final WorkbenchContext ctx;
    private final TrainViewModel vm;
    private final ConfigSheet sheet;
    private final EmbeddingView embeddingView = new EmbeddingView();
    private final TaskProgressView<TrainJob> jobsView = new TaskProgressView<>();
    private final PatchImages patches = new PatchImages();

    public TrainView(WorkbenchContext ctx) {
        this.ctx = ctx;
        this.vm = ctx.shared(TrainViewModel.class, () -> new TrainViewModel(defaultRunsDir()));
        setId("train-view");
        sheet = new ConfigSheet(Map.of(
                "strategy", () -> java.util.Arrays.stream(org.mmtune.match.MatchStrategy.values())
                        .map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).toList(),
                "device", () -> List.copyOf(vm.devices()),
                "type", () -> List.of("alexnet", "alexnet-ref", "vgg16"),
                "deduprule", () -> List.of("reference", "own-area"),
                "sizemode", () -> List.of("absolute", "relative")), vm::edited);
        sheet.browseFor("initCheckpoint", this::chooseInitCheckpoint);
        vm.configProperty().addListener((o, a, c) -> sheet.show(c));
        setLeft(experimentPane());
        setCenter(livePane());
        vm.messageProperty().addListener((o, a, m) -> ctx.report(m));
        vm.jobs().addListener((ListChangeListener<TrainJob>) ch -> {
            while (ch.next()) {
                for (TrainJob j : ch.getAddedSubList()) {
                    if (!jobsView.getTasks().contains(j)) {
                        jobsView.getTasks().add(j);
                    }
                }
            }
        });
        ctx.runDirProperty().addListener((o, a, dir) -> {
            if (dir != null) {
                vm.follow(dir);
            }
        });
        ctx.datasetProperty().addListener((o, a, ds) -> {
            applyClasses(ds);
            vm.setOpenDataset(ds == null ? null : ds.root());
        });
        applyClasses(ctx.dataset());
        vm.setOpenDataset(ctx.dataset() == null ? null : ctx.dataset().root());
        embeddingView.snapshotProperty().bind(vm.embeddingProperty());
        embeddingView.setPatchLoader(ref -> patches.load(vm.followedRun(), ref));
        if (!vm.presets().isEmpty()) {
            vm.loadPreset(vm.presets().contains("quick") ? "quick" : vm.presets().get(0));
        } else {
            vm.messageProperty().set("No experiment presets found on the class path: load an experiment file");
        }
        vm.detectDevices();
        if (ctx.runDirProperty().get() != null) {
            vm.follow(ctx.runDirProperty().get());
        }
    }

    /**
     * The file chooser of {@code initCheckpoint}: an mmtune checkpoint is used as it is; a pretrained weights file
     * is imported in the background for the form's backbone and width, and its checkpoint used.
     */
    private void chooseInitCheckpoint(String current, java.util.function.Consumer<String> set) {
        javafx.stage.FileChooser fc = new javafx.stage.FileChooser();
        fc.setTitle("Initial checkpoint (or pretrained weights to import)");
        fc.getExtensionFilters().addAll(
                new javafx.stage.FileChooser.ExtensionFilter("Checkpoints and importable weights",
                        org.mmtune.ui.match.MatchViewModel.checkpointPatterns()),
                new javafx.stage.FileChooser.ExtensionFilter("mmtune checkpoints", "*.params"),
                new javafx.stage.FileChooser.ExtensionFilter("Pretrained weights (PyTorch, safetensors, npz)",
                        org.mmtune.ui.match.MatchViewModel.importablePatterns()));
        if (current != null && !current.isBlank()) {
            java.io.File dir = java.nio.file.Path.of(current).toAbsolutePath().getParent().toFile();
            if (dir.isDirectory()) {
                fc.setInitialDirectory(dir);
            }
        }
        java.io.File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) {
            return;
        }
        if (!vm.isImportable(f.toPath())) {
            set.accept(f.getAbsolutePath());
            return;
        }
        ctx.report("Importing " + f + " …");
        org.mmtune.ui.common.Background.run("import weights", () -> vm.importInitCheckpoint(f.toPath()), imp -> {
            set.accept(imp.params().toString());
            ctx.report("Imported " + f.getName() + " → " + imp.params() + ": " + imp.summary().lines()
                    .skip(1).findFirst().orElse(""));
        }, err -> ctx.report("Could not import: " + org.mmtune.util.Failures.firstLine(err)));
    }

    public TrainViewModel viewModel() {
        return vm;
    }

    EmbeddingView embeddingView() {
        return embeddingView;
    }

    static Path defaultRunsDir() {
        String p = System.getProperty("mmtune.runsDir");
        return (p != null ? Path.of(p) : Path.of("runs")).toAbsolutePath().normalize();
    }

    private void applyClasses(SegmentationDataset ds) {
        if (ds == null) {
            embeddingView.setClasses(EmbeddingView::fallbackColor, i -> "class " + i);
        } else {
            embeddingView.setClasses(i -> i >= 0 && i < ds.numClasses() ? ClassColors.fx(ds.classInfo(i))
                    : EmbeddingView.fallbackColor(i), i -> ClassColors.name(ds.classes(), i, ds.ignoreIndex()));
        }
    }

    // ---- left: the experiment and the jobs ---------------------------------------------------------

    private VBox experimentPane() {
        ComboBox<String> preset = new ComboBox<>(vm.presets());
        preset.setId("train-preset");
        preset.setPromptText("preset");
        preset.setTooltip(new Tooltip("Start from a shipped preset"));
        preset.setOnAction(e -> {
            if (preset.getValue() != null) {
                vm.loadPreset(preset.getValue());
            }
        });
        vm.configNameProperty().addListener((o, a, n) -> {
            if (vm.presets().contains(n) && vm.configFileProperty().get() == null) {
                preset.setValue(n);
            }
        });
        Button load = new Button("Load…");
        load.setId("train-load");
        load.setTooltip(new Tooltip("Load an experiment JSON (the file `mmtune train --config` reads)"));
        load.setOnAction(e -> chooseConfig());
        Button save = new Button("Save…");
        save.setId("train-save");
        save.setOnAction(e -> saveConfig());
        HBox top = new HBox(6, preset, load, save);
        top.setAlignment(Pos.CENTER_LEFT);
        Label name = new Label();
        name.setId("train-config-name");
        name.textProperty().bind(Bindings.createStringBinding(() -> {
            String n = vm.configNameProperty().get();
            Path f = vm.configFileProperty().get();
            String s = (n == null || n.isBlank() ? "(no experiment)" : n) + (vm.dirtyProperty().get() ? " (edited)" : "");
            return f == null ? s : s + " · " + f;
        }, vm.configNameProperty(), vm.configFileProperty(), vm.dirtyProperty()));
        name.setStyle("-fx-font-weight: bold;");

        Label runsLabel = new Label();
        runsLabel.setId("train-runs-dir");
        runsLabel.textProperty().bind(Bindings.createStringBinding(() -> "Runs folder: " + vm.runsDirProperty().get(),
                vm.runsDirProperty()));
        runsLabel.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(runsLabel, Priority.ALWAYS);
        Button runsChoose = new Button("…");
        runsChoose.setTooltip(new Tooltip("Choose the folder new runs are written to"));
        runsChoose.setOnAction(e -> chooseRunsDir());
        HBox runsRow = new HBox(6, runsLabel, runsChoose);
        runsRow.setAlignment(Pos.CENTER_LEFT);

        Label device = new Label();
        device.setId("train-device");
        device.textProperty().bind(vm.deviceReportProperty());
        device.setTooltip(new Tooltip("What DJL finds on this machine; choose the device in the experiment (device)"));
        Button run = new Button("Run ▶");
        run.setId("train-run");
        run.setDefaultButton(false);
        run.setStyle("-fx-font-weight: bold;");
        run.setTooltip(new Tooltip("Queue a run of this experiment (Ctrl+R); runs start one after another"));
        run.disableProperty().bind(vm.configProperty().isNull());
        run.setOnAction(e -> vm.run());
        Button follow = new Button("Follow run folder…");
        follow.setId("train-follow");
        follow.setTooltip(new Tooltip("Watch a run folder, e.g. one started with `mmtune train` in a terminal"));
        follow.setOnAction(e -> chooseRunToFollow());
        run.setMinWidth(Button.USE_PREF_SIZE);
        follow.setMinWidth(Button.USE_PREF_SIZE);
        javafx.scene.layout.Region gap = new javafx.scene.layout.Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox runRow = new HBox(6, device, gap, follow, run);
        runRow.setAlignment(Pos.CENTER_LEFT);

        jobsView.setId("train-jobs");
        jobsView.setPrefHeight(150);
        jobsView.setMinHeight(120);
        Label jobsTitle = new Label();
        jobsTitle.textProperty().bind(Bindings.createStringBinding(() -> vm.activeJobsProperty().get() == 0
                ? "Jobs: none running" : "Jobs: " + vm.activeJobsProperty().get() + " queued or running",
                vm.activeJobsProperty()));
        jobsTitle.setStyle("-fx-font-weight: bold;");
        Button drop = new Button("Drop queued");
        drop.setId("train-drop-queued");
        drop.setTooltip(new Tooltip("Remove the jobs still waiting in the queue (cancel the running one with its"
                + " own Cancel button)"));
        drop.disableProperty().bind(vm.activeJobsProperty().lessThan(2));
        drop.setOnAction(e -> vm.dropQueued());
        javafx.scene.layout.Region jobsGap = new javafx.scene.layout.Region();
        HBox.setHgrow(jobsGap, Priority.ALWAYS);
        HBox jobsRow = new HBox(6, jobsTitle, jobsGap, drop);
        jobsRow.setAlignment(Pos.CENTER_LEFT);

        ListView<TrainViewModel.HistoryEntry> history = new ListView<>(vm.history());
        history.setId("train-history");
        history.setPrefHeight(70);
        history.setMinHeight(50);
        history.setPlaceholder(new Label("Finished jobs appear here (click one to show it)"));
        history.getSelectionModel().selectedItemProperty().addListener((o, a, h) -> {
            if (h != null) {
                vm.follow(h.runDir());
            }
        });
        VBox.setVgrow(sheet.node(), Priority.ALWAYS);
        VBox box = new VBox(6, top, name, sheet.node(), runsRow, runRow, jobsRow, jobsView, history);
        box.setPadding(new Insets(8));
        box.setPrefWidth(400);
        box.setMinWidth(320);
        sceneProperty().addListener((o, a, s) -> {
            if (s != null) {
                s.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), () -> {
                    if (isVisibleInTabs()) {
                        vm.run();
                    }
                });
            }
        });
        return box;
    }

    private boolean isVisibleInTabs() {
        for (javafx.scene.Node n = this; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return getScene() != null;
    }

    private void chooseConfig() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Load experiment");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiment JSON", "*.json"));
        File f = fc.showOpenDialog(window());
        if (f != null) {
            vm.loadFile(f.toPath());
        }
    }

    private void saveConfig() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save experiment");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiment JSON", "*.json"));
        fc.setInitialFileName((vm.configNameProperty().get().isBlank() ? "experiment" : vm.configNameProperty().get())
                + ".json");
        File f = fc.showSaveDialog(window());
        if (f != null) {
            vm.saveFile(f.toPath());
        }
    }

    private void chooseRunsDir() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder for new runs");
        Path cur = vm.runsDirProperty().get();
        if (cur != null && Files.isDirectory(cur)) {
            dc.setInitialDirectory(cur.toFile());
        }
        File d = dc.showDialog(window());
        if (d != null) {
            vm.runsDirProperty().set(d.toPath());
        }
    }

    private void chooseRunToFollow() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Follow a run folder");
        Path cur = vm.runsDirProperty().get();
        if (cur != null && Files.isDirectory(cur)) {
            dc.setInitialDirectory(cur.toFile());
        }
        File d = dc.showDialog(window());
        if (d == null) {
            return;
        }
        if (!RunSummary.isRunFolder(d.toPath())) {
            ctx.report(d + ": not a run folder (no " + RunFiles.STATUS + ", " + RunFiles.CONFIG + " or " + RunFiles.METRICS + ")");
            return;
        }
        vm.follow(d.toPath());
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    // ---- centre: the followed run -----------------------------------------------------------------------

    private BorderPane livePane() {
        Label state = new Label();
        state.setId("train-followed");
        state.textProperty().bind(vm.followedStateProperty());
        state.setStyle("-fx-font-size: 13px; -fx-font-weight: bold;");
        state.setPadding(new Insets(6, 8, 6, 8));

        RunCharts charts = vm.charts();
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.add(charts.lossViewer(), 0, 0, 2, 1);
        grid.add(charts.tripletViewer(), 0, 1);
        grid.add(charts.miouViewer(), 1, 1);
        for (var n : List.of(charts.lossViewer(), charts.tripletViewer(), charts.miouViewer())) {
            GridPane.setHgrow(n, Priority.ALWAYS);
            GridPane.setVgrow(n, Priority.ALWAYS);
        }
        javafx.scene.layout.ColumnConstraints c = new javafx.scene.layout.ColumnConstraints();
        c.setPercentWidth(50);
        grid.getColumnConstraints().addAll(c, c);
        javafx.scene.layout.RowConstraints r1 = new javafx.scene.layout.RowConstraints();
        r1.setPercentHeight(55);
        javafx.scene.layout.RowConstraints r2 = new javafx.scene.layout.RowConstraints();
        r2.setPercentHeight(45);
        grid.getRowConstraints().addAll(r1, r2);

        ListView<String> log = new ListView<>(vm.logLines());
        log.setId("train-log");
        log.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");
        vm.logLines().addListener((ListChangeListener<String>) ch -> {
            if (!vm.logLines().isEmpty()) {
                log.scrollTo(vm.logLines().size() - 1);
            }
        });
        TitledPane logPane = new TitledPane("Log (" + RunFiles.LOG + ")", log);
        logPane.setCollapsible(false);
        logPane.setMaxHeight(Double.MAX_VALUE);
        embeddingView.setId("train-embeddings");
        SplitPane bottom = new SplitPane(embeddingView, logPane);
        bottom.setDividerPositions(0.55);
        SplitPane split = new SplitPane(grid, bottom);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.6);
        BorderPane p = new BorderPane(split);
        p.setTop(state);
        p.setPadding(new Insets(0, 6, 6, 0));
        return p;
    }

    // ---- snapshots and closing --------------------------------------------------------------------------

    @Override
    public void prepareSnapshot() {
        if (vm.followedRun() == null) {
            newestRun().ifPresent(vm::follow);
        }
    }

    @Override
    public boolean readyForSnapshot() {
        return vm.followedRun() == null || vm.updatesProperty().get() > 0;
    }

    /** The newest run that went through M&M (so the picture shows every chart), else the newest run. */
    private Optional<Path> newestRun() {
        try {
            List<Path> dirs = RunCatalog.list(vm.runsDirProperty().get()).stream().map(RunSummary::dir).toList();
            return dirs.stream().filter(d -> Files.isDirectory(RunFiles.embeddings(d))).findFirst()
                    .or(() -> dirs.stream().findFirst());
        } catch (IOException e) {
            LOG.debug("runs folder", e);
            return Optional.empty();
        }
    }

    @Override
    public boolean confirmClose(Window owner) {
        if (!vm.hasActiveJobs()) {
            return true;
        }
        ButtonType cancelJobs = new ButtonType("Stop the jobs and quit", ButtonBar.ButtonData.YES);
        ButtonType detach = new ButtonType("Quit, keep the running job going", ButtonBar.ButtonData.NO);
        ButtonType stay = new ButtonType("Don't quit", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, vm.activeJobsProperty().get()
                + " training job(s) are queued or running.\n\nStopping cancels them (the runs are marked cancelled)."
                + "\nKeeping it going leaves the running child process writing its run folder; reopen it later"
                + " with File ▸ Open Run. Queued jobs that have not started are dropped.", cancelJobs, detach, stay);
        a.setHeaderText("Training is in progress");
        a.setTitle("Quit mmtune?");
        if (owner != null) {
            a.initOwner(owner);
        }
        Optional<ButtonType> choice = a.showAndWait();
        if (choice.isEmpty() || choice.get() == stay) {
            return false;
        }
        if (choice.get() == detach) {
            vm.detachAll();
        } else {
            vm.cancelAll();
        }
        return true;
    }

    @Override
    public void onExit() {
        vm.shutdown();
    }

    /** Crops patches out of the dataset images the followed run trained on. */
    final class PatchImages {
        Image load(Path runDir, org.mmtune.experiment.runs.EmbeddingSnapshot.PatchRef ref) {
            return PatchCrops.crop(ctx.dataset(), runDir, ref);
        }
    }
}
