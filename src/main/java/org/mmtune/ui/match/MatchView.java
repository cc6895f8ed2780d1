package org.mmtune.ui.match;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.mmtune.cli.UserMessages;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.MatchGraph;
import org.mmtune.match.MatchStrategy;
import org.mmtune.mix.Patch;
import org.mmtune.ui.Benchable;
import org.mmtune.ui.SnapshotAware;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.ClassColors;
import org.mmtune.ui.common.Images;
import org.mmtune.ui.mix.MixViewModel;
import org.mmtune.util.AtomicFiles;

/**
 * The Match view: the Mix view's batch as a match graph on a canvas, strategy and margin controls with a
 * live violation count, graph statistics, the clicked node's triplet, and export as JSON or PNG.
 */
public final class MatchView extends BorderPane implements SnapshotAware, Benchable {

    private final WorkbenchContext ctx;
    private final MatchViewModel vm;
    private final GraphCanvas canvas = new GraphCanvas();
    private final Label stats = new Label();
    private final Label violations = new Label();
    private static final String HINT = "Hover a node for its patch, click it for its triplet; wheel zooms (thumbnails "
            + "appear when zoomed in), drag pans, double-click fits; N toggles negative edges, L the layout";
    private final Label hover = new Label(HINT);
    private final Label tripletInfo = new Label("Click a node to see its triplet");
    private final ImageView[] tripletViews = {new ImageView(), new ImageView(), new ImageView()};
    private final Label[] tripletCaptions = {new Label("anchor"), new Label("positive"), new Label("negative")};

    public MatchView(WorkbenchContext ctx) {
        this.ctx = ctx;
        MixViewModel mix = ctx.shared(MixViewModel.class, MixViewModel::new);
        this.vm = ctx.shared(MatchViewModel.class, () -> new MatchViewModel(mix));
        setId("match-view");
        canvas.setId("graph-canvas");
        canvas.setOnNodeClicked(i -> vm.selectedProperty().set(i));
        canvas.setOnNodeHovered(this::hovered);
        vm.resultProperty().addListener((o, a, r) -> resultChanged(r));
        vm.marginProperty().addListener((o, a, m) -> {
            canvas.setMargin(m.doubleValue());
            selectedChanged(vm.selectedProperty().get());
        });
        vm.showNegativesProperty().addListener((o, a, b) -> canvas.setShowNegatives(b));
        vm.selectedProperty().addListener((o, a, s) -> selectedChanged(s.intValue()));
        ctx.runDirProperty().addListener((o, a, run) -> {
            Path params = run == null ? null : CheckpointEmbedder.checkpointOfRun(run);
            if (params != null) {
                loadCheckpoint(params);
            }
        });
        vm.violationsProperty().addListener((o, a, b) -> updateStats());
        vm.meanLossProperty().addListener((o, a, b) -> updateStats());
        canvas.setMargin(vm.marginProperty().get());

        hover.setId("graph-hover");
        hover.setPadding(new Insets(3, 6, 3, 6));
        hover.setStyle("-fx-background-color: #2b2d31; -fx-text-fill: #e0e0e0;");
        hover.setMaxWidth(Double.MAX_VALUE);
        BorderPane graphPane = new BorderPane(canvas);
        graphPane.setBottom(hover);

        ScrollPane side = new ScrollPane(sidePanel());
        side.setFitToWidth(true);
        side.setMinWidth(300);
        SplitPane split = new SplitPane(graphPane, side);
        split.setId("match-split");
        split.setDividerPositions(0.72);
        SplitPane.setResizableWithParent(side, false);
        setCenter(split);
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.N && !e.isShortcutDown()) {
                vm.showNegativesProperty().set(!vm.showNegativesProperty().get());
            } else if (e.getCode() == KeyCode.L && !e.isShortcutDown()) {
                vm.layoutProperty().set(vm.layoutProperty().get() == MatchViewModel.Layout.CLUSTERS
                        ? MatchViewModel.Layout.PCA : MatchViewModel.Layout.CLUSTERS);
            }
        });
        canvas.setOnMouseEntered(e -> canvas.requestFocus());
        resultChanged(vm.resultProperty().get());
    }

    public MatchViewModel viewModel() {
        return vm;
    }

    public GraphCanvas canvas() {
        return canvas;
    }

    private VBox sidePanel() {
        ComboBox<MatchStrategy> strategy = new ComboBox<>(FXCollections.observableArrayList(MatchStrategy.values()));
        strategy.setId("match-strategy");
        strategy.valueProperty().bindBidirectional(vm.strategyProperty());
        strategy.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(MatchStrategy s) {
                if (s == null) {
                    return "";
                }
                return switch (s) {
                    case CLASSWISE -> "class-wise connected (paper)";
                    case RANDOM -> "random triplets";
                    case HARD -> "hard negatives";
                };
            }

            @Override
            public MatchStrategy fromString(String s) {
                return null;
            }
        });
        CheckBox semi = new CheckBox("semi-hard");
        semi.selectedProperty().bindBidirectional(vm.semiHardProperty());
        semi.disableProperty().bind(vm.strategyProperty().isNotEqualTo(MatchStrategy.HARD));
        semi.setTooltip(new Tooltip("Hard negatives: the closest other-class node farther than the positive"));

        Slider margin = new Slider(0, 4, vm.marginProperty().get());
        margin.setId("margin-slider");
        margin.setShowTickLabels(true);
        margin.setShowTickMarks(true);
        margin.setMajorTickUnit(1);
        margin.valueProperty().bindBidirectional(vm.marginProperty());
        Label marginValue = new Label();
        marginValue.textProperty().bind(Bindings.format("margin m = %.2f (paper 2.1)", vm.marginProperty()));
        violations.setId("violation-count");
        violations.setStyle("-fx-font-weight: bold; -fx-text-fill: #c01818;");

        CheckBox negatives = new CheckBox("negative edges (N)");
        negatives.setId("show-negatives");
        negatives.selectedProperty().bindBidirectional(vm.showNegativesProperty());
        ComboBox<MatchViewModel.Layout> layout = new ComboBox<>(
                FXCollections.observableArrayList(MatchViewModel.Layout.values()));
        layout.setId("match-layout");
        layout.valueProperty().bindBidirectional(vm.layoutProperty());
        Label embedding = new Label("Distances: " + Embeddings.DESCRIPTOR_NAME + ".");
        embedding.setId("embedding-label");
        vm.resultProperty().addListener((o, a, r) -> {
            if (r != null) {
                embedding.setText("Distances: " + r.embeddingName() + ".");
            }
        });
        Button loadNet = new Button("Load checkpoint…");
        loadNet.setId("load-checkpoint");
        loadNet.setTooltip(new Tooltip("Use a pipeline checkpoint's embedding (.params in a run's checkpoints/),"
                + " or import a pretrained network (.pth, .pt, .safetensors, .npz; backbone and width found by trying);"
                + " opening a run folder does this too"));
        loadNet.setOnAction(e -> chooseCheckpoint());
        Button useDescriptor = new Button("Use descriptor");
        useDescriptor.disableProperty().bind(vm.embedderProperty().isNull());
        useDescriptor.setOnAction(e -> vm.embedderProperty().set(null));
        embedding.setWrapText(true);
        embedding.setStyle("-fx-font-size: 11px; -fx-text-fill: #555;");

        stats.setId("graph-stats");
        stats.setWrapText(true);
        stats.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");

        HBox thumbs = new HBox(8);
        for (int i = 0; i < 3; i++) {
            tripletViews[i].setFitWidth(84);
            tripletViews[i].setFitHeight(84);
            tripletViews[i].setPreserveRatio(true);
            tripletCaptions[i].setStyle("-fx-font-size: 11px;");
            VBox cell = new VBox(2, tripletViews[i], tripletCaptions[i]);
            cell.setAlignment(Pos.TOP_CENTER);
            cell.setMinWidth(88);
            thumbs.getChildren().add(cell);
        }
        tripletInfo.setId("triplet-info");
        tripletInfo.setWrapText(true);
        tripletInfo.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");

        Button exportJson = new Button("Export graph JSON…");
        exportJson.setOnAction(e -> exportJson());
        Button exportPng = new Button("Export view PNG…");
        exportPng.setOnAction(e -> exportPng());
        Button fit = new Button("Fit");
        fit.setOnAction(e -> canvas.fit());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Strategy"), strategy);
        form.add(semi, 1, 1);
        form.addRow(2, new Label("Layout"), layout);
        form.add(negatives, 1, 3);
        VBox box = new VBox(8, title("Match"), form, embedding, new HBox(6, loadNet, useDescriptor),
                new HBox(6, exportJson, exportPng, fit), marginValue,
                margin, violations, title("Triplet of the clicked node"), thumbs, tripletInfo, title("Graph"), stats);
        box.setPadding(new Insets(8));
        return box;
    }

    private static Label title(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private List<ClassInfo> classes() {
        SegmentationDataset ds = ctx.dataset();
        return ds == null ? List.of() : ds.classes();
    }

    private void resultChanged(MatchResult r) {
        canvas.setResult(r, r == null ? classes() : r.mix().dataset().classes());
        updateStats();
        selectedChanged(vm.selectedProperty().get());
    }

    private String className(int label) {
        MatchResult r = vm.resultProperty().get();
        List<ClassInfo> cl = r == null ? classes() : r.mix().dataset().classes();
        return ClassColors.name(cl, label, r == null ? 255 : r.mix().dataset().ignoreIndex());
    }

    private void updateStats() {
        MatchResult r = vm.resultProperty().get();
        if (r == null) {
            stats.setText("no graph yet");
            violations.setText("");
            return;
        }
        MatchGraph g = r.graph();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("nodes            %d%n", g.size()));
        sb.append(String.format("positive edges   %d%n", r.positiveEdges().length));
        sb.append(String.format("negative edges   %d%n", r.negativeEdges().length));
        sb.append(String.format("triplets         %d%n", r.stats().count()));
        sb.append(String.format("violations       %d  (%.0f%%)%n", vm.violationsProperty().get(),
                r.stats().count() == 0 ? 0.0 : 100.0 * vm.violationsProperty().get() / r.stats().count()));
        sb.append(String.format("mean loss        %.4f%n", vm.meanLossProperty().get()));
        sb.append("components per class (nodes):\n");
        Map<Integer, Integer> nodes = g.nodesPerClass();
        for (Map.Entry<Integer, Integer> e : g.componentsPerClass().entrySet()) {
            sb.append(String.format("  %-14s %d  (%d)%n", className(e.getKey()), e.getValue(),
                    nodes.getOrDefault(e.getKey(), 0)));
        }
        stats.setText(sb.toString());
        violations.setText(String.format("%d of %d triplets violate the margin", vm.violationsProperty().get(),
                r.stats().count()));
    }

    private void hovered(int node) {
        MatchResult r = vm.resultProperty().get();
        if (r == null || node < 0) {
            hover.setText(HINT);
            return;
        }
        Patch p = r.mix().batch().patch(node);
        hover.setText(String.format("node %d · %s · purity %.2f · side %d · %s (%d, %d)%s", node,
                className(p.label()), p.purity(), p.size(), p.imageId(), p.cx(), p.cy(),
                r.violated(node, vm.marginProperty().get()) ? " · violates the margin" : ""));
    }

    private void selectedChanged(int node) {
        canvas.setSelected(node);
        MatchResult r = vm.resultProperty().get();
        if (r == null || node < 0 || node >= r.graph().size()) {
            for (ImageView v : tripletViews) {
                v.setImage(null);
            }
            tripletCaptions[0].setText("anchor");
            tripletCaptions[1].setText("positive");
            tripletCaptions[2].setText("negative");
            tripletInfo.setText("Click a node to see its triplet");
            return;
        }
        int[] t = r.graph().triplet(node);
        for (int i = 0; i < 3; i++) {
            int k = t[i];
            tripletViews[i].setImage(k >= 0 ? r.mix().thumbs()[k] : null);
            String role = i == 0 ? "anchor" : i == 1 ? "positive" : "negative";
            tripletCaptions[i].setText(k >= 0 ? role + " #" + k + "\n" + className(r.graph().label(k)) : role + ": none");
            if (k >= 0) {
                tripletCaptions[i].setTextFill(ClassColors.fx(r.mix().dataset().classes(), r.graph().label(k))
                        .deriveColor(0, 1, 0.7, 1));
            }
        }
        double m = vm.marginProperty().get();
        if (t[2] < 0) {
            tripletInfo.setText("node " + node + " has no negative (a single-class batch)");
            return;
        }
        double dp = r.dPos(node);
        double dn = r.dNeg(node);
        double loss = 0.5 * Math.max(0, m + dp - dn);
        tripletInfo.setText(String.format("‖a−p‖² = %.4f%n‖a−n‖² = %.4f%nloss ½·max(0, m + ‖a−p‖² − ‖a−n‖²)%n"
                + "     = %.4f at m = %.2f%s", dp, dn, loss, m, loss > 0 ? "  (violated)" : "  (satisfied)"));
    }

    private void chooseCheckpoint() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Load a checkpoint for the embeddings");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Checkpoints and importable weights", MatchViewModel.checkpointPatterns()),
                new FileChooser.ExtensionFilter("mmtune checkpoints", "*.params"),
                new FileChooser.ExtensionFilter("Pretrained weights (PyTorch, safetensors, npz)",
                        MatchViewModel.importablePatterns()));
        Path run = ctx.runDirProperty().get();
        if (run != null && java.nio.file.Files.isDirectory(run.resolve("checkpoints"))) {
            fc.setInitialDirectory(run.resolve("checkpoints").toFile());
        }
        File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) {
            loadCheckpoint(f.toPath());
        }
    }

    /**
     * Loads a checkpoint in the background, importing it first when it is a weights file of another framework
     * (the import report is shown); the graph switches to its embeddings when it is ready.
     */
    public void loadCheckpoint(Path params) {
        ctx.report("Loading checkpoint " + params + " …");
        org.mmtune.ui.common.Background.run("load checkpoint", () -> MatchViewModel.loadCheckpointOrWeights(params), l -> {
            vm.embedderProperty().set(l.embedder());
            ctx.report("Match view uses the embeddings of " + params
                    + (l.report() != null ? " (imported as " + l.report().backbone() + " ÷" + l.report().widthDivisor() + ")" : ""));
            if (l.report() != null) {
                showImportReport(params, l.report().summary());
            }
        }, err -> ctx.report("Could not load checkpoint: " + UserMessages.describe(err)));
    }

    private void showImportReport(Path source, String summary) {
        javafx.scene.control.TextArea text = new javafx.scene.control.TextArea(summary);
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefSize(640, 220);
        text.setId("import-report");
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
        a.setTitle("Imported " + source.getFileName());
        a.setHeaderText("Imported " + source.getFileName() + " for the embeddings");
        a.getDialogPane().setContent(text);
        a.setResizable(true);
        if (getScene() != null && getScene().getWindow() != null) {
            a.initOwner(getScene().getWindow());
        }
        a.show();
    }

    private void exportJson() {
        MatchResult r = vm.resultProperty().get();
        if (r == null) {
            ctx.report("No graph to export yet");
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Export match graph as JSON");
        fc.setInitialFileName("match-graph.json");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            try {
                writeJson(r, vm.marginProperty().get(), f.toPath());
                ctx.report("Wrote " + f);
            } catch (Exception e) {
                ctx.report("Could not write " + f + ": " + UserMessages.describe(e));
            }
        }
    }

    /** Writes the graph, its patches, positions and triplet figures as JSON (atomically). */
    public static void writeJson(MatchResult r, double margin, Path file) throws java.io.IOException {
        MatchGraph g = r.graph();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("strategy", g.strategy().name().toLowerCase());
        root.put("nodes", g.size());
        root.put("labels", g.labels());
        List<String> names = new ArrayList<>();
        r.mix().dataset().classes().forEach(c -> names.add(c.name()));
        root.put("classNames", names);
        root.put("positiveEdges", r.positiveEdges());
        root.put("negativeEdges", r.negativeEdges());
        root.put("triplets", g.triplets());
        Map<String, Integer> comps = new LinkedHashMap<>();
        g.componentsPerClass().forEach((k, v) -> comps.put(String.valueOf(k), v));
        root.put("components", comps);
        root.put("embedding", r.embeddingName());
        root.put("margin", margin);
        root.put("violations", r.stats().violationsAt(margin));
        root.put("dPos", r.stats().dPos());
        root.put("dNeg", r.stats().dNeg());
        root.put("layout", r.layout().name().toLowerCase());
        root.put("positions", r.positions());
        List<Map<String, Object>> patches = new ArrayList<>();
        for (Patch p : r.mix().batch().patches()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", p.imageId());
            m.put("cx", p.cx());
            m.put("cy", p.cy());
            m.put("size", p.size());
            m.put("label", p.label());
            m.put("purity", p.purity());
            patches.add(m);
        }
        root.put("patches", patches);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
        AtomicFiles.writeBytes(file, json);
    }

    private void exportPng() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export graph view as PNG");
        fc.setInitialFileName("match-graph.png");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            try {
                Images.writePng(canvas.snapshotImage(), f.toPath());
                ctx.report("Wrote " + f);
            } catch (Exception e) {
                ctx.report("Could not write " + f + ": " + UserMessages.describe(e));
            }
        }
    }

    @Override
    public void prepareSnapshot() {
        MatchResult r = vm.resultProperty().get();
        if (r != null && vm.selectedProperty().get() < 0 && r.graph().size() > 0) {
            vm.selectedProperty().set(Math.min(7, r.graph().size() - 1));
        }
    }

    @Override
    public boolean readyForSnapshot() {
        if (vm.resultProperty().get() != null && vm.selectedProperty().get() < 0) {
            prepareSnapshot();
        }
        return vm.resultProperty().get() != null;
    }

    @Override
    public List<String> bench(org.mmtune.ui.AutoDriver d) throws Exception {
        return MatchBench.run(d, this);
    }
}
