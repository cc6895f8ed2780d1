package org.mmtune.ui.results;

import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.runs.LabelPng;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.experiment.runs.RunResults;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.SnapshotAware;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.Images;
import org.mmtune.util.UserMessages;

/**
 * The Runs and Results view: the runs of a runs folder (open, delete, compare), the validation images
 * side by side with the truth and up to three runs' predictions (synchronised zoom and pan), as an
 * overlay with an opacity slider or as error maps, with per-image IoU and keyboard browsing; and the
 * metrics: per-class IoU table and bar chart, confusion heatmap, export as PNG and CSV.
 */
public final class ResultsView extends BorderPane implements SnapshotAware {

    private static final java.awt.Color[] RUN_COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final WorkbenchContext ctx;
    private final ResultsViewModel vm;
    private final TableView<RunSummary> runsTable = new TableView<>();
    private final ListView<Integer> imageList = new ListView<>();
    private final LinkedViewport viewport = new LinkedViewport();
    private final List<LinkedViewport.Pane> panes = new ArrayList<>();
    private final LinkedViewport overlayViewport = new LinkedViewport();
    private final LinkedViewport.Pane overlayPane = overlayViewport.newPane();
    private final GridPane grid = new GridPane();
    private final ToggleGroup mode = new ToggleGroup();
    private final ToggleButton sideBySide = new ToggleButton("Side by side");
    private final ToggleButton overlay = new ToggleButton("Overlay");
    private final ToggleButton errors = new ToggleButton("Error map");
    private final ComboBox<String> overlayLayer = new ComboBox<>();
    private final Slider opacity = new Slider(0, 1, 0.55);
    private final StackPane imageArea = new StackPane();
    private final TableView<Integer> classTable = new TableView<>();
    private final DefaultCategoryDataset barData = new DefaultCategoryDataset();
    private final ConfusionHeatmap heatmap = new ConfusionHeatmap();
    private final ComboBox<String> heatmapRun = new ComboBox<>();
    private final Label summary = new Label();
    private final Label imageTitle = new Label();
    private final TabPane resultsTabs = new TabPane();

    public ResultsView(WorkbenchContext ctx) {
        this.ctx = ctx;
        this.vm = ctx.shared(ResultsViewModel.class, () -> new ResultsViewModel(defaultRunsDir()));
        setId("results-view");
        vm.setOpenDataset(ctx.dataset());
        ctx.datasetProperty().addListener((o, a, ds) -> vm.setOpenDataset(ds));
        vm.messageProperty().addListener((o, a, m) -> ctx.report(m));
        for (int i = 0; i < 2 + ResultsViewModel.MAX_COMPARED; i++) {
            panes.add(viewport.newPane());
        }
        SplitPane split = new SplitPane(runsPane(), resultsPane());
        split.setDividerPositions(0.34);
        setCenter(split);
        vm.currentProperty().addListener((o, a, d) -> showImage());
        vm.problemProperty().addListener((o, a, p) -> showImage());
        vm.compared().addListener((ListChangeListener<RunSummary>) ch -> comparedChanged());
        vm.results().addListener((MapChangeListener<Path, RunResults>) ch -> showMetrics());
        vm.perImageIoU().addListener((MapChangeListener<String, double[]>) ch -> imageList.refresh());
        ctx.runDirProperty().addListener((o, a, dir) -> {
            if (dir != null) {
                vm.compare(List.of(RunSummary.read(dir)));
            }
        });
        vm.refresh();
        // re-read the runs folder whenever the tab comes to the front (runs finish while it is hidden)
        parentProperty().addListener((o, a, parent) -> {
            if (parent != null) {
                parent.visibleProperty().addListener((o2, was, shown) -> {
                    if (shown) {
                        vm.refresh();
                    }
                });
            }
        });
    }

    public ResultsViewModel viewModel() {
        return vm;
    }

    static Path defaultRunsDir() {
        String p = System.getProperty("mmtune.runsDir");
        return (p != null ? Path.of(p) : Path.of("runs")).toAbsolutePath().normalize();
    }

    // ---- runs list ---------------------------------------------------------------------------------

    private VBox runsPane() {
        runsTable.setId("results-runs");
        runsTable.setStyle("-fx-font-size: 11px;");
        runsTable.setItems(vm.runs());
        runsTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        runsTable.setPlaceholder(new Label("No runs here yet: start one in the Train view"));
        runsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        runsTable.getColumns().add(col("Run", 105, r -> r.name()));
        runsTable.getColumns().add(col("Status", 58, r -> r.state().label()));
        runsTable.getColumns().add(col("Preset", 52, r -> nz(r.preset())));
        runsTable.getColumns().add(col("Arm", 64, r -> nz(r.arm())));
        runsTable.getColumns().add(col("Started", 72, r -> r.startedAt() == null ? "" : DATE.format(r.startedAt())));
        runsTable.getColumns().add(col("Took", 50, r -> duration(r.duration())));
        TableColumn<RunSummary, String> miou = col("mIoU %", 48, r -> Double.isNaN(r.mIoU()) ? ""
                : String.format(Locale.ROOT, "%.1f", 100 * r.mIoU()));
        miou.setStyle("-fx-alignment: CENTER-RIGHT;");
        runsTable.getColumns().add(miou);
        runsTable.setRowFactory(tv -> {
            TableRow<RunSummary> row = new TableRow<>() {
                @Override
                protected void updateItem(RunSummary item, boolean empty) {
                    super.updateItem(item, empty);
                    setTooltip(item == null || empty ? null : new Tooltip(item.dir() + (item.problem() == null ? ""
                            : "\n" + item.problem()) + (item.stage() == null ? "" : "\nstage: " + item.stage())));
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    vm.compare(List.of(row.getItem()));
                }
            });
            return row;
        });
        runsTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                compareSelected();
            } else if (e.getCode() == KeyCode.DELETE) {
                deleteSelected();
            }
        });
        Button open = new Button("Open");
        open.setId("results-open");
        open.setTooltip(new Tooltip("Show the selected run (double-click does the same)"));
        open.setOnAction(e -> {
            RunSummary r = runsTable.getSelectionModel().getSelectedItem();
            if (r != null) {
                vm.compare(List.of(r));
            }
        });
        Button compare = new Button("Compare");
        compare.setId("results-compare");
        compare.setTooltip(new Tooltip("Compare the selected runs (up to 3: A, B, C) (Enter)"));
        compare.setOnAction(e -> compareSelected());
        Button delete = new Button("Delete…");
        delete.setId("results-delete");
        delete.setOnAction(e -> deleteSelected());
        Button refresh = new Button("⟳");
        refresh.setId("results-refresh");
        refresh.setTooltip(new Tooltip("Re-read the runs folder"));
        refresh.setOnAction(e -> vm.refresh());
        Button folder = new Button("Folder…");
        folder.setTooltip(new Tooltip("Choose the runs folder"));
        folder.setOnAction(e -> chooseRunsDir());
        Button exportWeights = new Button("Export backbone…");
        exportWeights.setId("results-export-backbone");
        exportWeights.setTooltip(new Tooltip("Write the selected run's backbone (M&M, else proxy, else fine-tuned "
                + "checkpoint) as .safetensors or .npz under torchvision names (features.N.*)"));
        exportWeights.setOnAction(e -> exportBackbone());
        for (Button b : List.of(open, compare, delete, exportWeights)) {
            b.disableProperty().bind(runsTable.getSelectionModel().selectedItemProperty().isNull());
        }
        HBox buttons = new HBox(6, open, compare, delete, refresh, folder);
        buttons.setAlignment(Pos.CENTER_LEFT);
        Label dir = new Label();
        dir.textProperty().bind(Bindings.createStringBinding(() -> "Runs in " + vm.runsDirProperty().get(),
                vm.runsDirProperty()));
        dir.setStyle("-fx-font-weight: bold;");
        dir.setWrapText(true);
        VBox.setVgrow(runsTable, Priority.ALWAYS);
        HBox exportRow = new HBox(6, exportWeights);
        exportRow.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, dir, runsTable, buttons, exportRow);
        box.setPadding(new Insets(8));
        box.setMinWidth(300);
        return box;
    }

    private void exportBackbone() {
        RunSummary r = runsTable.getSelectionModel().getSelectedItem();
        if (r == null) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the backbone of " + r.name());
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("safetensors", "*.safetensors"),
                new FileChooser.ExtensionFilter("numpy npz", "*.npz"));
        fc.setInitialFileName(r.name() + "-backbone.safetensors");
        java.io.File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) {
            return;
        }
        ctx.report("Exporting the backbone of " + r.name() + " …");
        org.mmtune.ui.common.Background.run("export backbone", () -> ResultsViewModel.exportBackbone(r.dir(), f.toPath()),
                msg -> ctx.report(msg),
                err -> ctx.report("Could not export: " + org.mmtune.util.Failures.firstLine(err)));
    }

    private static TableColumn<RunSummary, String> col(String name, double width,
                                                       java.util.function.Function<RunSummary, String> f) {
        TableColumn<RunSummary, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s / 60) % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    private void compareSelected() {
        List<RunSummary> sel = List.copyOf(runsTable.getSelectionModel().getSelectedItems());
        if (!sel.isEmpty()) {
            vm.compare(sel);
        }
    }

    private void deleteSelected() {
        List<RunSummary> sel = List.copyOf(runsTable.getSelectionModel().getSelectedItems());
        if (sel.isEmpty()) {
            return;
        }
        StringBuilder names = new StringBuilder();
        sel.forEach(r -> names.append("\n  ").append(r.dir()));
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Delete " + sel.size() + " run folder(s) and everything in them"
                + " (checkpoints, predictions, results)?" + names, ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText("Delete runs");
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
        }
        Optional<ButtonType> b = a.showAndWait();
        if (b.isPresent() && b.get() == ButtonType.OK) {
            sel.forEach(vm::delete);
        }
    }

    private void chooseRunsDir() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Runs folder");
        Path cur = vm.runsDirProperty().get();
        if (cur != null && Files.isDirectory(cur)) {
            dc.setInitialDirectory(cur.toFile());
        }
        File d = dc.showDialog(getScene().getWindow());
        if (d != null) {
            vm.runsDirProperty().set(d.toPath());
            vm.refresh();
        }
    }

    // ---- results: images and metrics ----------------------------------------------------------------

    private TabPane resultsPane() {
        Tab images = new Tab("Images", imagesPane());
        Tab metrics = new Tab("Metrics", metricsPane());
        AblationPane ablation = new AblationPane(dir -> {
            vm.open(dir);
            resultsTabs.getSelectionModel().select(0);
        }, dirs -> {
            vm.openAll(dirs);
            resultsTabs.getSelectionModel().select(0);
        });
        Tab ablationTab = new Tab("Ablation", ablation);
        ablationTab.setId("results-tab-ablation");
        images.setClosable(false);
        metrics.setClosable(false);
        ablationTab.setClosable(false);
        resultsTabs.getTabs().setAll(images, metrics, ablationTab);
        resultsTabs.setId("results-tabs");
        vm.ablationProperty().addListener((o, a, b) -> {
            ablation.show(b);
            if (b != null && (a == null || !a.dir().equals(b.dir()))) {
                resultsTabs.getSelectionModel().select(ablationTab);
            }
        });
        ablation.show(vm.ablationProperty().get());
        return resultsTabs;
    }

    private BorderPane imagesPane() {
        sideBySide.setToggleGroup(mode);
        overlay.setToggleGroup(mode);
        errors.setToggleGroup(mode);
        sideBySide.setId("results-mode-side");
        overlay.setId("results-mode-overlay");
        errors.setId("results-mode-errors");
        sideBySide.setSelected(true);
        mode.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                a.setSelected(true);
            } else {
                layoutImages();
            }
        });
        overlayLayer.setId("results-overlay-layer");
        overlayLayer.setTooltip(new Tooltip("Mask drawn over the image"));
        overlayLayer.valueProperty().addListener((o, a, b) -> showImage());
        opacity.setId("results-opacity");
        opacity.setPrefWidth(140);
        opacity.setTooltip(new Tooltip("Opacity of the overlaid mask"));
        opacity.valueProperty().addListener((o, a, b) -> showImage());
        overlayLayer.disableProperty().bind(overlay.selectedProperty().not());
        opacity.disableProperty().bind(overlay.selectedProperty().not());
        Button export = new Button("Export PNG…");
        export.setId("results-export-png");
        export.setTooltip(new Tooltip("Save the comparison as shown"));
        export.setOnAction(e -> exportPng());
        Button predict = new Button("Predict missing");
        predict.setId("results-predict");
        predict.setTooltip(new Tooltip("Compute the compared runs' missing predictions with `mmtune predict`"
                + " from their checkpoints"));
        predict.setOnAction(e -> vm.predictMissing());
        predict.disableProperty().bind(vm.busyPredictingProperty().or(Bindings.isEmpty(vm.compared())));
        predict.setMinWidth(Button.USE_PREF_SIZE);
        Label hint = new Label("wheel zoom · drag pan · double-click fit · ↑↓/PgUp/PgDn image");
        hint.setStyle("-fx-text-fill: #666; -fx-font-size: 11px;");
        hint.setMinWidth(0);
        Label layerLabel = new Label("Overlay");
        Label opacityLabel = new Label("opacity");
        overlayLayer.setPrefWidth(150);
        overlayLayer.setMinWidth(120);
        opacity.setMinWidth(80);
        for (javafx.scene.control.Control c : List.of(sideBySide, overlay, errors, export, layerLabel, opacityLabel)) {
            c.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
        }
        HBox modes = new HBox(4, sideBySide, overlay, errors);
        HBox overlayControls = new HBox(6, layerLabel, overlayLayer, opacityLabel, opacity);
        HBox actions = new HBox(6, export, predict);
        for (HBox h : List.of(modes, overlayControls, actions)) {
            h.setAlignment(Pos.CENTER_LEFT);
        }
        // wraps onto a second line when the pane is narrow instead of pushing the images out of view
        javafx.scene.layout.FlowPane bar = new javafx.scene.layout.FlowPane(12, 4, modes, overlayControls, actions, hint);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4));

        imageList.setId("results-images");
        imageList.setPrefWidth(190);
        imageList.setMinWidth(140);
        imageList.setPlaceholder(new Label("Open or compare a run"));
        vm.images().addListener((ListChangeListener<Object>) ch -> {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < vm.images().size(); i++) {
                idx.add(i);
            }
            imageList.getItems().setAll(idx);
        });
        imageList.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(Integer i, boolean empty) {
                super.updateItem(i, empty);
                if (empty || i == null || i >= vm.images().size()) {
                    setText(null);
                    return;
                }
                String id = vm.images().get(i).id();
                double[] iou = vm.perImageIoU().get(id);
                StringBuilder sb = new StringBuilder(id);
                if (iou != null) {
                    for (int k = 0; k < iou.length; k++) {
                        sb.append("   ").append(ResultsViewModel.LETTERS[k]).append(' ')
                                .append(Double.isNaN(iou[k]) ? "–" : String.format(Locale.ROOT, "%.2f", iou[k]));
                    }
                }
                setText(sb.toString());
            }
        });
        imageList.getSelectionModel().selectedItemProperty().addListener((o, a, i) -> {
            if (i != null) {
                vm.imageIndexProperty().set(i);
            }
        });
        vm.imageIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() >= 0 && i.intValue() < imageList.getItems().size()
                    && !i.equals(imageList.getSelectionModel().getSelectedItem())) {
                imageList.getSelectionModel().select(i.intValue());
                imageList.scrollTo(Math.max(0, i.intValue() - 3));
            }
        });
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.PAGE_DOWN || (e.getCode() == KeyCode.RIGHT && !imageList.isFocused())) {
                vm.step(1);
                e.consume();
            } else if (e.getCode() == KeyCode.PAGE_UP || (e.getCode() == KeyCode.LEFT && !imageList.isFocused())) {
                vm.step(-1);
                e.consume();
            }
        });
        grid.setHgap(4);
        grid.setVgap(4);
        grid.setId("results-grid");
        imageArea.getChildren().setAll(grid);
        imageTitle.setStyle("-fx-font-weight: bold;");
        imageTitle.setPadding(new Insets(2, 4, 2, 4));
        BorderPane centre = new BorderPane(imageArea);
        centre.setTop(imageTitle);
        SplitPane sp = new SplitPane(imageList, centre);
        sp.setDividerPositions(0.2);
        BorderPane p = new BorderPane(sp);
        p.setTop(bar);
        layoutImages();
        return p;
    }

    /** Places the panes for the current mode and number of compared runs. */
    private void layoutImages() {
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        grid.getRowConstraints().clear();
        if (overlay.isSelected()) {
            imageArea.getChildren().setAll(overlayPane);
            overlayPane.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        } else {
            imageArea.getChildren().setAll(grid);
            int n = 2 + Math.max(1, vm.compared().size());
            int cols = n <= 4 ? 2 : 3;
            int rows = (n + cols - 1) / cols;
            for (int i = 0; i < n; i++) {
                LinkedViewport.Pane p = panes.get(i);
                p.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
                GridPane.setHgrow(p, Priority.ALWAYS);
                GridPane.setVgrow(p, Priority.ALWAYS);
                grid.add(p, i % cols, i / cols);
            }
            for (int c = 0; c < cols; c++) {
                javafx.scene.layout.ColumnConstraints cc = new javafx.scene.layout.ColumnConstraints();
                cc.setPercentWidth(100.0 / cols);
                grid.getColumnConstraints().add(cc);
            }
            for (int r = 0; r < rows; r++) {
                javafx.scene.layout.RowConstraints rc = new javafx.scene.layout.RowConstraints();
                rc.setPercentHeight(100.0 / rows);
                grid.getRowConstraints().add(rc);
            }
        }
        showImage();
    }

    private void comparedChanged() {
        List<String> layers = new ArrayList<>(List.of("Truth"));
        for (int i = 0; i < vm.compared().size(); i++) {
            layers.add(vm.label(i));
        }
        String keep = overlayLayer.getValue();
        overlayLayer.getItems().setAll(layers);
        overlayLayer.setValue(layers.contains(keep) ? keep : layers.get(layers.size() > 1 ? 1 : 0));
        heatmapRun.getItems().setAll(layers.subList(1, layers.size()));
        if (!heatmapRun.getItems().isEmpty()) {
            heatmapRun.setValue(heatmapRun.getItems().get(0));
        }
        layoutImages();
        showMetrics();
    }

    private void showImage() {
        ResultsViewModel.ImageData d = vm.currentProperty().get();
        SegmentationDataset ds = vm.datasetProperty().get();
        if (d == null || ds == null) {
            for (LinkedViewport.Pane p : panes) {
                p.setContent();
                p.caption().setText("");
            }
            overlayPane.setContent();
            imageTitle.setText(vm.compared().isEmpty() ? "Select runs on the left and press Compare (or double-click one)"
                    : vm.problemProperty().get() != null ? vm.problemProperty().get() : "Loading…");
            return;
        }
        Sample s = d.sample();
        List<ClassInfo> classes = ds.classes();
        int n = Math.min(vm.compared().size(), d.predictions().size());
        imageTitle.setText(String.format("%s  (%d of %d in %s, %d×%d)", d.pair().id(), vm.imageIndexProperty().get() + 1,
                vm.images().size(), vm.splitProperty().get(), s.width(), s.height()));
        WritableImage rgb = Images.rgb(s.rgb(), s.width(), s.height());
        viewport.setContentSize(s.width(), s.height());
        overlayViewport.setContentSize(s.width(), s.height());
        if (overlay.isSelected()) {
            String layer = overlayLayer.getValue();
            int idx = layer == null ? -1 : overlayLayer.getItems().indexOf(layer);
            byte[] labels = idx <= 0 ? s.labels() : d.predictions().get(idx - 1) == null ? null
                    : d.predictions().get(idx - 1).values();
            ImageView base = new ImageView(rgb);
            if (labels == null) {
                overlayPane.setContent(base);
                overlayPane.caption().setText(layer + ": no prediction for this image");
            } else {
                ImageView mask = new ImageView(Images.labelOverlay(labels, s.width(), s.height(), classes, null));
                mask.setOpacity(opacity.getValue());
                overlayPane.setContent(base, mask);
                overlayPane.caption().setText(layer + (idx > 0 ? iouText(d.iou()[idx - 1]) : "")
                        + String.format(Locale.ROOT, " · opacity %.0f%%", 100 * opacity.getValue()));
            }
            return;
        }
        boolean err = errors.isSelected();
        panes.get(0).setContent(new ImageView(rgb));
        panes.get(0).caption().setText("Image " + d.pair().id());
        panes.get(1).setContent(new ImageView(labelImage(s.labels(), s, classes)));
        panes.get(1).caption().setText("Ground truth");
        for (int i = 0; i < ResultsViewModel.MAX_COMPARED; i++) {
            LinkedViewport.Pane p = panes.get(2 + i);
            if (i >= n) {
                p.setContent();
                p.caption().setText(i == 0 ? "No run selected" : "");
                continue;
            }
            LabelPng.Labels pred = d.predictions().get(i);
            if (pred == null) {
                p.setContent();
                p.caption().setText(vm.label(i) + ": " + d.notes().get(i));
                continue;
            }
            Image img = err ? errorImage(s, pred.values()) : labelImage(pred.values(), s, classes);
            p.setContent(new ImageView(img));
            p.caption().setText((err ? "Errors " : "") + vm.label(i) + iouText(d.iou()[i]));
        }
    }

    private static String iouText(double iou) {
        return Double.isNaN(iou) ? "" : String.format(Locale.ROOT, " · image IoU %.3f", iou);
    }

    private static Image labelImage(byte[] labels, Sample s, List<ClassInfo> classes) {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = 0xFF000000 | 0x282828;
        }
        for (ClassInfo c : classes) {
            if (c.index() >= 0 && c.index() < 256) {
                lut[c.index()] = 0xFF000000 | (c.rgb() & 0xFFFFFF);
            }
        }
        int[] argb = new int[labels.length];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = lut[labels[i] & 0xFF];
        }
        return Images.argb(argb, s.width(), s.height());
    }

    /** The image dimmed to gray, wrong pixels red, void pixels black. */
    static Image errorImage(Sample s, byte[] pred) {
        byte[] gray = s.gray();
        byte[] truth = s.labels();
        int[] argb = new int[truth.length];
        for (int i = 0; i < argb.length; i++) {
            int t = truth[i] & 0xFF;
            if (t == s.ignoreIndex()) {
                argb[i] = 0xFF000000;
            } else if ((pred[i] & 0xFF) != t) {
                argb[i] = 0xFFE8202A;
            } else {
                int g = 40 + (gray[i] & 0xFF) * 110 / 255;
                argb[i] = 0xFF000000 | g << 16 | g << 8 | g;
            }
        }
        return Images.argb(argb, s.width(), s.height());
    }

    private void exportPng() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export comparison as PNG");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        ResultsViewModel.ImageData d = vm.currentProperty().get();
        fc.setInitialFileName("comparison-" + (d == null ? "runs" : d.pair().id()) + ".png");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            exportPng(f.toPath());
        }
    }

    /** Writes the image comparison as shown (atomically). */
    public void exportPng(Path file) {
        Node n = imageArea;
        WritableImage img = n.snapshot(null, null);
        org.mmtune.ui.common.Background.run("export PNG", () -> {
            Images.writePng(img, file);
            return file;
        }, p -> ctx.report("Wrote " + p), err -> ctx.report(file + ": "
                + UserMessages.describe(err)));
    }

    private VBox metricsPane() {
        classTable.setId("results-class-table");
        classTable.setPlaceholder(new Label("No " + RunFiles.RESULTS + " in the compared runs yet"));
        classTable.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        heatmapRun.setId("results-heatmap-run");
        heatmapRun.valueProperty().addListener((o, a, b) -> showHeatmap());
        Button csv = new Button("Export CSV…");
        csv.setId("results-export-csv");
        csv.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Export per-class IoU as CSV");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
            fc.setInitialFileName("per-class-iou.csv");
            File f = fc.showSaveDialog(getScene().getWindow());
            if (f != null) {
                vm.exportCsv(f.toPath());
            }
        });
        summary.setId("results-summary");
        summary.setStyle("-fx-font-weight: bold;");
        summary.setWrapText(true);
        HBox top = new HBox(10, summary, csv);
        top.setAlignment(Pos.CENTER_LEFT);

        ChartViewer bars = new ChartViewer(barChart());
        bars.setMinSize(200, 150);
        HBox heatBar = new HBox(6, new Label("Confusion matrix of"), heatmapRun);
        heatBar.setAlignment(Pos.CENTER_LEFT);
        VBox heat = new VBox(4, heatBar, heatmap);
        VBox.setVgrow(heatmap, Priority.ALWAYS);
        SplitPane right = new SplitPane(bars, heat);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.45);
        SplitPane sp = new SplitPane(classTable, right);
        sp.setDividerPositions(0.38);
        VBox.setVgrow(sp, Priority.ALWAYS);
        VBox box = new VBox(6, top, sp);
        box.setPadding(new Insets(6));
        return box;
    }

    private JFreeChart barChart() {
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        NumberAxis y = new NumberAxis("IoU");
        y.setRange(0, 1);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.02);
        for (int i = 0; i < RUN_COLORS.length; i++) {
            r.setSeriesPaint(i, RUN_COLORS[i]);
        }
        CategoryPlot plot = new CategoryPlot(barData, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        JFreeChart c = new JFreeChart("Per-class IoU", new Font(Font.SANS_SERIF, Font.BOLD, 12), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    private void showMetrics() {
        List<RunSummary> runs = List.copyOf(vm.compared());
        List<RunResults> rs = new ArrayList<>();
        for (RunSummary r : runs) {
            rs.add(vm.results().get(r.dir()));
        }
        classTable.getColumns().clear();
        barData.clear();
        int rows = rs.stream().filter(r -> r != null).mapToInt(r -> r.perClass().size()).max().orElse(0);
        List<String> names = classNames(rs, rows);
        TableColumn<Integer, String> cls = new TableColumn<>("Class");
        cls.setCellValueFactory(d -> new ReadOnlyStringWrapper(names.get(d.getValue())));
        cls.setPrefWidth(96);
        classTable.getColumns().add(cls);
        StringBuilder sum = new StringBuilder();
        for (int k = 0; k < runs.size(); k++) {
            RunResults r = rs.get(k);
            int kk = k;
            TableColumn<Integer, String> c = new TableColumn<>();
            Label head = new Label(ResultsViewModel.LETTERS[k] + " IoU");
            head.setTooltip(new Tooltip(runs.get(k).name() + "\n" + runs.get(k).dir()));
            c.setGraphic(head);
            c.setPrefWidth(70);
            c.setCellValueFactory(d -> new ReadOnlyStringWrapper(r == null || d.getValue() >= r.perClass().size() ? ""
                    : pct(r.perClass().get(d.getValue()).iou())));
            c.setStyle("-fx-alignment: CENTER-RIGHT;");
            classTable.getColumns().add(c);
            if (sum.length() > 0) {
                sum.append("   ");
            }
            sum.append(ResultsViewModel.LETTERS[kk]).append(' ').append(runs.get(k).name()).append(": ");
            if (r == null) {
                sum.append("no results yet");
            } else {
                sum.append("mIoU ").append(pct(r.mIoU())).append(", pixel acc. ").append(pct(r.pixelAccuracy()));
                for (int i = 0; i < r.perClass().size(); i++) {
                    double v = r.perClass().get(i).iou();
                    barData.addValue(Double.isNaN(v) ? 0 : v, ResultsViewModel.LETTERS[k] + " " + runs.get(k).name(),
                            names.get(i));
                }
            }
        }
        if (runs.size() >= 2 && rs.get(0) != null && rs.get(1) != null) {
            RunResults a = rs.get(0);
            RunResults b = rs.get(1);
            TableColumn<Integer, String> d = new TableColumn<>("B − A");
            d.setPrefWidth(60);
            d.setCellValueFactory(x -> {
                int i = x.getValue();
                if (i >= a.perClass().size() || i >= b.perClass().size()) {
                    return new ReadOnlyStringWrapper("");
                }
                double v = b.perClass().get(i).iou() - a.perClass().get(i).iou();
                return new ReadOnlyStringWrapper(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%+.1f", 100 * v));
            });
            d.setStyle("-fx-alignment: CENTER-RIGHT;");
            classTable.getColumns().add(d);
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            idx.add(i);
        }
        classTable.getItems().setAll(idx);
        summary.setText(runs.isEmpty() ? "No runs compared" : sum.toString());
        showHeatmap();
    }

    private List<String> classNames(List<RunResults> rs, int rows) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String n = null;
            for (RunResults r : rs) {
                if (r != null && i < r.perClass().size()) {
                    n = r.perClass().get(i).name();
                    break;
                }
            }
            names.add(n == null ? "class " + i : n);
        }
        return names;
    }

    private void showHeatmap() {
        int k = heatmapRun.getValue() == null ? -1 : heatmapRun.getItems().indexOf(heatmapRun.getValue());
        RunResults r = k < 0 || k >= vm.compared().size() ? null : vm.results().get(vm.compared().get(k).dir());
        if (r == null) {
            heatmap.set("Confusion matrix", null, List.of());
            return;
        }
        List<String> names = r.perClass().stream().map(RunResults.ClassIoU::name).toList();
        heatmap.set("Confusion matrix: " + vm.label(k), r.confusion(), names);
    }

    // ---- snapshots ----------------------------------------------------------------------------------

    private boolean snapshotRequested;

    @Override
    public void prepareSnapshot() {
        snapshotRequested = true;
        if (vm.compared().isEmpty()) {
            vm.refresh();
        }
    }

    @Override
    public boolean readyForSnapshot() {
        if (vm.compared().isEmpty() && !vm.runs().isEmpty() && snapshotRequested) {
            List<RunSummary> finished = vm.runs().stream().filter(r -> !Double.isNaN(r.mIoU())).limit(2).toList();
            vm.compare(finished.isEmpty() ? List.of(vm.runs().get(0)) : finished);
            return false;
        }
        return vm.compared().isEmpty() || vm.datasetProperty().get() == null || vm.currentProperty().get() != null;
    }

}
