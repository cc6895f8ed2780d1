package org.mmtune.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;
import org.controlsfx.control.StatusBar;
import org.mmtune.data.SampleData;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.ui.bench.StallMonitor;
import org.mmtune.ui.common.Perf;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The main window's content: menu, one tab per view, status bar, and the debug overlay (F12). */
public final class Workbench extends BorderPane {

    private static final Logger LOG = LoggerFactory.getLogger(Workbench.class);

    private final WorkbenchContext ctx;
    private final Settings settings;
    private final TabPane tabs = new TabPane();
    private final List<ViewSpec> specs;
    private final List<Node> views = new ArrayList<>();
    private final Menu recentMenu = new Menu("Open _Recent");
    private final Label overlay = new Label();

    Workbench(WorkbenchContext ctx, Settings settings, List<ViewSpec> specs) {
        this.ctx = ctx;
        this.settings = settings;
        this.specs = List.copyOf(specs);
        setId("workbench");
        for (ViewSpec spec : specs) {
            Node view;
            try {
                view = spec.factory().apply(ctx);
            } catch (RuntimeException e) {
                LOG.warn("view {} could not be built: {}", spec.name(), e.toString());
                LOG.debug("view build failed", e);
                view = new Label(spec.name() + " view could not be built: " + UserMessages.describe(e));
            }
            views.add(view);
            Tab tab = new Tab(spec.name(), view);
            tab.setClosable(false);
            tab.setId("tab-" + spec.name().toLowerCase());
            tabs.getTabs().add(tab);
        }
        overlay.setId("debug-overlay");
        overlay.textProperty().bind(Perf.summaryProperty());
        overlay.setStyle("-fx-font-family: monospace; -fx-font-size: 11px; -fx-text-fill: #e8ffe8;"
                + " -fx-background-color: rgba(0,0,0,0.75); -fx-padding: 6;");
        overlay.setMouseTransparent(true);
        overlay.setVisible(false);
        overlay.visibleProperty().addListener((o, was, now) -> Perf.setLive(now));
        StackPane centre = new StackPane(tabs, overlay);
        StackPane.setAlignment(overlay, Pos.TOP_RIGHT);
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (t != null) {
                StallMonitor.phaseIfRunning(t.getText() + " view");
            }
        });
        setTop(menu());
        setCenter(centre);
        setBottom(statusBar());
        ctx.setOnDatasetOpened(() -> {
            if (ctx.datasetPathProperty().get() != null) {
                settings.addRecent(ctx.datasetPathProperty().get());
                refreshRecent();
            }
        });
    }

    public TabPane tabs() {
        return tabs;
    }

    public List<ViewSpec> specs() {
        return specs;
    }

    public List<Node> views() {
        return views;
    }

    /** The view node of the tab called {@code name}. */
    public Optional<Node> view(String name) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equalsIgnoreCase(name)) {
                return Optional.of(views.get(i));
            }
        }
        return Optional.empty();
    }

    /** Asks every view that guards closing (e.g. Train with a job running); false keeps the window open. */
    public boolean confirmClose(javafx.stage.Window owner) {
        for (Node v : views) {
            if (v instanceof CloseGuard g && !g.confirmClose(owner)) {
                return false;
            }
        }
        return true;
    }

    /** Tells the guarding views that the application exits. */
    public void exiting() {
        for (Node v : views) {
            if (v instanceof CloseGuard g) {
                g.onExit();
            }
        }
    }

    public void toggleOverlay() {
        overlay.setVisible(!overlay.isVisible());
        if (overlay.isVisible() && overlay.getText().isBlank()) {
            ctx.report("Debug overlay: timings appear once views have worked (resample, redraw, scroll)");
        }
    }

    private MenuBar menu() {
        MenuItem open = new MenuItem("_Open Dataset Folder…");
        open.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN));
        open.setOnAction(e -> chooseDataset());
        MenuItem sample = new MenuItem("Open _Sample Data");
        sample.setOnAction(e -> openSample());
        MenuItem run = new MenuItem("Open R_un…");
        run.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        run.setOnAction(e -> chooseRun());
        MenuItem reload = new MenuItem("Re_load Dataset");
        reload.setAccelerator(new KeyCodeCombination(KeyCode.F5));
        reload.setOnAction(e -> {
            Path p = ctx.datasetPathProperty().get();
            if (p != null) {
                ctx.openDataset(p);
            }
        });
        MenuItem quit = new MenuItem("_Quit");
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(e -> {
            if (getScene() != null && getScene().getWindow() != null) {
                getScene().getWindow().fireEvent(new javafx.stage.WindowEvent(getScene().getWindow(),
                        javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
            }
        });
        refreshRecent();
        Menu file = new Menu("_File", null, open, recentMenu, sample, new SeparatorMenuItem(), run, reload,
                new SeparatorMenuItem(), quit);

        Menu view = new Menu("_View");
        for (int i = 0; i < specs.size(); i++) {
            int index = i;
            MenuItem item = new MenuItem(specs.get(i).name());
            if (i < 9) {
                item.setAccelerator(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)),
                        KeyCombination.SHORTCUT_DOWN));
            }
            item.setOnAction(e -> tabs.getSelectionModel().select(index));
            view.getItems().add(item);
        }
        MenuItem debug = new MenuItem("_Debug Overlay (timings)");
        debug.setAccelerator(new KeyCodeCombination(KeyCode.F12));
        debug.setOnAction(e -> toggleOverlay());
        view.getItems().addAll(new SeparatorMenuItem(), debug);

        MenuItem keys = new MenuItem("_Keyboard Shortcuts");
        keys.setAccelerator(new KeyCodeCombination(KeyCode.F1));
        keys.setOnAction(e -> showShortcuts());
        Menu help = new Menu("_Help", null, keys);
        MenuBar bar = new MenuBar(file, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private void refreshRecent() {
        recentMenu.getItems().clear();
        for (Path p : settings.recentDatasets()) {
            MenuItem item = new MenuItem(p.toString());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> ctx.openDataset(p));
            recentMenu.getItems().add(item);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none yet)");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem("Clear List");
            clear.setOnAction(e -> {
                settings.clearRecent();
                refreshRecent();
            });
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    private void chooseDataset() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open dataset folder (VOC, Cityscapes, CamVid or with a dataset.json)");
        Path current = ctx.datasetPathProperty().get();
        if (current != null && current.getParent() != null && Files.isDirectory(current.getParent())) {
            chooser.setInitialDirectory(current.getParent().toFile());
        }
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            ctx.openDataset(dir.toPath());
        }
    }

    void openSample() {
        Optional<Path> sample = SampleData.locate();
        if (sample.isPresent()) {
            ctx.openDataset(sample.get());
        } else {
            ctx.report("No sample-data folder found (run `mmtune synth --out sample-data`, or use File ▸ Open)");
        }
    }

    private void chooseRun() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open run folder");
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir == null) {
            return;
        }
        Path p = dir.toPath();
        if (!Files.exists(RunFiles.config(p)) && !Files.exists(RunFiles.status(p))) {
            ctx.report(p + ": not a run folder (no " + RunFiles.CONFIG + " or " + RunFiles.STATUS + ")");
            return;
        }
        ctx.runDirProperty().set(p);
        ctx.report("Opened run " + p.getFileName());
    }

    private void showShortcuts() {
        StringBuilder sb = new StringBuilder();
        sb.append("Ctrl+O\topen dataset folder\nCtrl+Shift+O\topen run folder\nF5\treload dataset\n");
        for (int i = 0; i < specs.size() && i < 9; i++) {
            sb.append("Ctrl+").append(i + 1).append('\t').append(specs.get(i).name()).append(" view\n");
        }
        sb.append("F12\tdebug overlay (timings)\nCtrl+Q\tquit\n\n");
        sb.append("Images and graph: wheel = zoom, drag = pan, double-click = fit\n");
        sb.append("Mix: Ctrl+N new seed\nMatch: N toggles negative edges, L switches layout");
        Alert a = new Alert(Alert.AlertType.INFORMATION, sb.toString());
        a.setHeaderText("Keyboard shortcuts");
        a.initOwner(getScene().getWindow());
        a.show();
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(ctx.messageProperty());
        Label ds = new Label();
        ds.setId("status-dataset");
        ds.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            var d = ctx.dataset();
            return d == null ? "no dataset" : "dataset: " + d.name() + " (" + d.format() + ")";
        }, ctx.datasetProperty()));
        Label device = new Label();
        device.setId("status-device");
        device.textProperty().bind(ctx.deviceProperty());
        Label engine = new Label();
        engine.setId("status-engine");
        engine.textProperty().bind(ctx.engineStateProperty());
        for (Label l : List.of(ds, device, engine)) {
            l.setStyle("-fx-padding: 0 8 0 8; -fx-border-color: transparent transparent transparent #bbb;");
        }
        // what runs is shown whole; the message on the left gives way first
        device.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        engine.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        bar.getRightItems().addAll(ds, device, engine);
        ctx.loadingProperty().addListener((o, was, now) -> bar.setProgress(now ? -1 : 0));
        return bar;
    }
}
