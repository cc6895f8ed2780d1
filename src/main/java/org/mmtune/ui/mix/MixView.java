package org.mmtune.ui.mix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;
import org.mmtune.mix.DedupRule;
import org.mmtune.mix.SizeMode;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.controlsfx.control.RangeSlider;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.mix.LabelMode;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Patch;
import org.mmtune.ui.SnapshotAware;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.ClassBarChart;
import org.mmtune.ui.common.ClassColors;
import org.mmtune.ui.common.DatasetAccess;
import org.mmtune.ui.common.Images;
import org.mmtune.ui.common.Perf;
import org.mmtune.ui.common.ZoomPane;
import org.mmtune.util.UserMessages;

/**
 * The Mix view: the sampler's settings (any change resamples), the mixed batch as a patch grid with
 * class-coloured borders (filter, sort, hover), the selected patch's source image with all its patch
 * boxes, and per-class patch counts.
 */
public final class MixView extends BorderPane implements SnapshotAware {

    static final int CELL = 76;
    private static final javafx.scene.effect.DropShadow SELECTED_EFFECT =
            new javafx.scene.effect.DropShadow(8, Color.BLACK);

    private final MixViewModel vm;
    private final WorkbenchContext ctx;
    private final ObservableList<PatchItem> items = FXCollections.observableArrayList();
    private final GridView<PatchItem> grid = new GridView<>(items);
    private final CheckComboBox<ClassInfo> filter = new CheckComboBox<>();
    private final ComboBox<String> sort = new ComboBox<>(FXCollections.observableArrayList(
            "batch order", "class", "purity (high first)", "purity (low first)", "size"));
    private final Label hover = new Label();
    private final Label shown = new Label();
    private final ClassBarChart chart = new ClassBarChart("Patches per class", "patches");
    private final ZoomPane source = new ZoomPane();
    private final Label sourceInfo = new Label("Click a patch to see where it comes from");
    private final javafx.beans.property.ObjectProperty<PatchItem> selected =
            new javafx.beans.property.SimpleObjectProperty<>();
    private long sourceGeneration;

    public MixView(WorkbenchContext ctx) {
        this.ctx = ctx;
        this.vm = ctx.shared(MixViewModel.class, MixViewModel::new);
        setId("mix-view");
        ctx.datasetProperty().addListener((o, a, ds) -> datasetChanged(ds));

        grid.setId("patch-grid");
        grid.setCellWidth(CELL);
        grid.setCellHeight(CELL);
        grid.setHorizontalCellSpacing(3);
        grid.setVerticalCellSpacing(3);
        grid.setCellFactory(g -> new PatchCell());
        filter.setId("class-filter");
        filter.setTitle("Classes");
        filter.setShowCheckedCount(true);
        filter.setConverter(new StringConverter<>() {
            @Override
            public String toString(ClassInfo c) {
                return c == null ? "" : c.name();
            }

            @Override
            public ClassInfo fromString(String s) {
                return null;
            }
        });
        filter.getCheckModel().getCheckedItems().addListener((ListChangeListener<ClassInfo>) c -> refreshItems());
        sort.setId("patch-sort");
        sort.getSelectionModel().select(0);
        sort.valueProperty().addListener((o, a, b) -> refreshItems());
        hover.setId("patch-hover");
        hover.setStyle("-fx-font-weight: bold;");
        shown.setId("patch-count");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(vm.samplingProperty());
        Label showLabel = new Label("Show");
        Label sortLabel = new Label("Sort by");
        for (Label l : List.of(showLabel, sortLabel, shown)) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        filter.setMinWidth(120);
        sort.setMinWidth(150);
        HBox gridBar = new HBox(8, showLabel, filter, sortLabel, sort, shown, spacer, busy);
        gridBar.setAlignment(Pos.CENTER_LEFT);
        gridBar.setPadding(new Insets(6));
        Label message = new Label();
        message.setId("mix-message");
        message.textProperty().bind(vm.messageProperty());
        message.setPadding(new Insets(2, 6, 4, 6));
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        hover.setPadding(new Insets(2, 6, 0, 6));
        BorderPane centre = new BorderPane(grid);
        centre.setTop(gridBar);
        centre.setBottom(new VBox(hover, message));

        source.setId("patch-source");
        sourceInfo.setPadding(new Insets(4, 6, 4, 6));
        sourceInfo.setWrapText(true);
        BorderPane sourcePane = new BorderPane(source);
        sourcePane.setTop(sourceInfo);
        chart.node().setPrefHeight(240);
        SplitPane right = new SplitPane(sourcePane, chart.node());
        right.setId("mix-right-split");
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.6);

        ScrollPane formScroll = new ScrollPane(form());
        formScroll.setFitToWidth(true);
        formScroll.setMinWidth(270);
        SplitPane main = new SplitPane(formScroll, centre, right);
        main.setId("mix-split");
        main.setDividerPositions(0.2, 0.66);
        SplitPane.setResizableWithParent(formScroll, false);
        setCenter(main);

        vm.resultProperty().addListener((o, a, r) -> resultChanged(r));
        selected.addListener((o, a, s) -> showSource(s));
        if (ctx.dataset() != null) {
            datasetChanged(ctx.dataset());
        }
        setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN).match(e)) {
                vm.newSeed();
                e.consume();
            }
        });
    }

    public MixViewModel viewModel() {
        return vm;
    }

    /** The patches shown in the grid, in display order. */
    public ObservableList<PatchItem> items() {
        return items;
    }

    public javafx.beans.property.ObjectProperty<PatchItem> selectedProperty() {
        return selected;
    }

    private VBox form() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.getColumnConstraints().addAll(new ColumnConstraints(110), new ColumnConstraints(120, 130, 200));
        int row = 0;
        ComboBox<String> split = new ComboBox<>(vm.splits());
        split.setId("mix-split");
        split.valueProperty().bindBidirectional(vm.splitProperty());
        row = add(g, row, "Split", split, "Images are drawn from this split");
        row = add(g, row, "Images / batch", forgiving(intSpinner("mix-images", vm.imagesPerBatchProperty(), 1, 5000, 1),
                "Images / batch", 1, 5000, vm), "Images drawn for one mixed batch (paper: 40)");
        row = add(g, row, "Patches / image", forgiving(intSpinner("mix-patches", vm.patchesPerImageProperty(), 1, 500, 1),
                "Patches / image", 1, 500, vm), "Patches kept per image (paper: 10)");

        RangeSlider sizes = new RangeSlider(16, 512, vm.minSizeProperty().get(), vm.maxSizeProperty().get());
        sizes.setId("mix-size-range");
        sizes.setShowTickLabels(true);
        sizes.setShowTickMarks(true);
        sizes.setMajorTickUnit(128);
        sizes.setBlockIncrement(8);
        sizes.setSnapToTicks(false);
        sizes.lowValueProperty().addListener((o, a, v) -> vm.minSizeProperty().set(even(v.doubleValue())));
        sizes.highValueProperty().addListener((o, a, v) -> vm.maxSizeProperty().set(even(v.doubleValue())));
        vm.minSizeProperty().addListener((o, a, v) -> {
            if (even(sizes.getLowValue()) != v.intValue()) {
                sizes.setLowValue(v.doubleValue());
            }
        });
        vm.maxSizeProperty().addListener((o, a, v) -> {
            if (even(sizes.getHighValue()) != v.intValue()) {
                sizes.setHighValue(v.doubleValue());
            }
        });
        Label sizeLabel = new Label();
        sizeLabel.textProperty().bind(Bindings.format("Patch side %d – %d px (even)", vm.minSizeProperty(),
                vm.maxSizeProperty()));
        ComboBox<SizeMode> sizeMode = new ComboBox<>(FXCollections.observableArrayList(SizeMode.values()));
        sizeMode.setId("mix-size-mode");
        sizeMode.valueProperty().bindBidirectional(vm.sizeModeProperty());
        row = add(g, row, "Side given", sizeMode,
                "absolute: sides in pixels (the reference); relative: fractions of each image's shorter side");
        RangeSlider fractions = new RangeSlider(0.02, 1, vm.minFractionProperty().get(), vm.maxFractionProperty().get());
        fractions.setId("mix-fraction-range");
        fractions.setShowTickLabels(true);
        fractions.setShowTickMarks(true);
        fractions.setMajorTickUnit(0.25);
        fractions.setBlockIncrement(0.01);
        fractions.lowValueProperty().addListener((o, a, v) -> vm.minFractionProperty().set(hundredths(v.doubleValue())));
        fractions.highValueProperty().addListener((o, a, v) -> vm.maxFractionProperty().set(hundredths(v.doubleValue())));
        vm.minFractionProperty().addListener((o, a, v) -> {
            if (hundredths(fractions.getLowValue()) != v.doubleValue()) {
                fractions.setLowValue(v.doubleValue());
            }
        });
        vm.maxFractionProperty().addListener((o, a, v) -> {
            if (hundredths(fractions.getHighValue()) != v.doubleValue()) {
                fractions.setHighValue(v.doubleValue());
            }
        });
        Label fractionLabel = new Label();
        fractionLabel.textProperty().bind(Bindings.format("Patch side %.2f – %.2f of the shorter image side",
                vm.minFractionProperty(), vm.maxFractionProperty()));
        javafx.beans.binding.BooleanBinding relative = vm.sizeModeProperty().isEqualTo(SizeMode.RELATIVE);
        for (javafx.scene.Node n : List.of(sizeLabel, sizes)) {
            n.visibleProperty().bind(relative.not());
            n.managedProperty().bind(relative.not());
        }
        for (javafx.scene.Node n : List.of(fractionLabel, fractions)) {
            n.visibleProperty().bind(relative);
            n.managedProperty().bind(relative);
        }
        g.add(sizeLabel, 0, row++, 2, 1);
        g.add(sizes, 0, row++, 2, 1);
        g.add(fractionLabel, 0, row++, 2, 1);
        g.add(fractions, 0, row++, 2, 1);
        row = add(g, row, "Output size", forgiving(intSpinner("mix-out", vm.outSizeProperty(), 8, 512, 8),
                "Output size", 8, 512, vm), "Crops are resized to this side (paper: 128)");
        row = add(g, row, "Background ratio", slider("mix-bg", vm.backgroundRatioProperty(), 0, 1),
                "Share of patches centred on the background class (only if the dataset has one)");
        row = add(g, row, "De-dup overlap", slider("mix-dedup", vm.dedupThresholdProperty(), 0, 1),
                "Skip a candidate when the covered part exceeds this share of the rule's area (paper: 0.6)");
        ComboBox<DedupRule> rule = new ComboBox<>(FXCollections.observableArrayList(DedupRule.values()));
        rule.setId("mix-dedup-rule");
        rule.valueProperty().bindBidirectional(vm.dedupRuleProperty());
        row = add(g, row, "De-dup rule", rule, "reference: covered area against the first candidate's area, as the"
                + " reference code does; own-area: against each candidate's own in-image area");
        row = add(g, row, "Candidates ×", forgiving(intSpinner("mix-candidates", vm.candidateFactorProperty(), 1, 50, 1),
                "Candidates ×", 1, 50, vm), "Candidates drawn per wanted patch (paper: 5)");
        ComboBox<LabelMode> mode = new ComboBox<>(FXCollections.observableArrayList(LabelMode.values()));
        mode.valueProperty().bindBidirectional(vm.labelModeProperty());
        row = add(g, row, "Label", mode, "Patch label: the centre pixel's class, or the window's majority class");
        CheckBox rank = new CheckBox("rank by purity");
        rank.selectedProperty().bindBidirectional(vm.rankByPurityProperty());
        g.add(rank, 1, row++);
        Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, (int) vm.seedProperty().get());
        seed.setId("mix-seed");
        seed.setEditable(true);
        forgiving(seed, "Seed", 0, Integer.MAX_VALUE, vm);
        seed.valueProperty().addListener((o, a, v) -> vm.seedProperty().set(v));
        vm.seedProperty().addListener((o, a, v) -> {
            if (!Objects.equals(seed.getValue(), v.intValue())) {
                seed.getValueFactory().setValue(v.intValue());
            }
        });
        row = add(g, row, "Seed", seed, "Same seed, same patches");
        Spinner<Integer> batch = new Spinner<>(0, Integer.MAX_VALUE, (int) vm.batchProperty().get());
        batch.setId("mix-batch");
        batch.setEditable(true);
        forgiving(batch, "Batch", 0, Integer.MAX_VALUE, vm);
        batch.valueProperty().addListener((o, a, v) -> vm.batchProperty().set(v));
        vm.batchProperty().addListener((o, a, v) -> {
            if (!Objects.equals(batch.getValue(), v.intValue())) {
                batch.getValueFactory().setValue(v.intValue());
            }
        });
        row = add(g, row, "Batch", batch, "Batch k of the seed's sequence (training's iteration k): its images,"
                + " patches and graph");
        Button newSeed = new Button("New seed");
        newSeed.setTooltip(new Tooltip("Draw a new batch with the same settings (Ctrl+N)"));
        newSeed.setId("mix-new-seed");
        newSeed.setOnAction(e -> vm.newSeed());
        Button defaults = new Button("Paper defaults");
        defaults.setOnAction(e -> vm.reset(org.mmtune.mix.MixConfig.defaults()));
        Label note = new Label("Any change resamples at once; the previous batch stays until the new one is ready.");
        note.setWrapText(true);
        note.setStyle("-fx-font-size: 11px; -fx-text-fill: #555;");
        VBox box = new VBox(8, title("Sampling"), note, g, new HBox(6, newSeed, defaults));
        box.setPadding(new Insets(8));
        return box;
    }

    private static double hundredths(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static int even(double v) {
        return (int) Math.round(v / 2) * 2;
    }

    private static Label title(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private static int add(GridPane g, int row, String label, javafx.scene.control.Control c, String tip) {
        Label l = new Label(label);
        l.setTooltip(new Tooltip(tip));
        c.setTooltip(new Tooltip(tip));
        c.setMaxWidth(Double.MAX_VALUE);
        g.add(l, 0, row);
        g.add(c, 1, row);
        return row + 1;
    }

    private static Spinner<Integer> intSpinner(String id, javafx.beans.property.IntegerProperty p, int min, int max,
                                               int step) {
        Spinner<Integer> s = new Spinner<>(min, max, p.get(), step);
        s.setId(id);
        s.setEditable(true);
        s.valueProperty().addListener((o, a, v) -> p.set(v));
        p.addListener((o, a, v) -> {
            if (s.getValue() != v.intValue()) {
                s.getValueFactory().setValue(v.intValue());
            }
        });
        return s;
    }

    /**
     * Typed text that is no whole number, or lies outside [min, max], neither throws on the FX thread (the
     * stock converter would) nor reaches the sampler: the value stays or is clamped, and the message line
     * says why.
     */
    static Spinner<Integer> forgiving(Spinner<Integer> s, String name, int min, int max, MixViewModel vm) {
        s.getValueFactory().setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : v.toString();
            }

            @Override
            public Integer fromString(String text) {
                Integer current = s.getValue();
                String t = text == null ? "" : text.strip();
                long v;
                try {
                    v = Long.parseLong(t);
                } catch (NumberFormatException e) {
                    vm.inputProblem(name + ": '" + t + "' is not a whole number; kept " + current);
                    javafx.application.Platform.runLater(() -> s.getEditor().setText(String.valueOf(s.getValue())));
                    return current;
                }
                if (v < min || v > max) {
                    int clamped = (int) Math.max(min, Math.min(max, v));
                    vm.inputProblem(name + ": " + v + " is outside " + min + "–" + max + "; using " + clamped);
                    javafx.application.Platform.runLater(() -> s.getEditor().setText(String.valueOf(s.getValue())));
                    return clamped;
                }
                return (int) v;
            }
        });
        return s;
    }

    private static Slider slider(String id, javafx.beans.property.DoubleProperty p, double min, double max) {
        Slider s = new Slider(min, max, p.get());
        s.setId(id);
        s.setShowTickLabels(true);
        s.setMajorTickUnit(0.5);
        s.valueProperty().bindBidirectional(p);
        return s;
    }

    private void datasetChanged(SegmentationDataset ds) {
        filter.getCheckModel().clearChecks();
        filter.getItems().setAll(ds == null ? List.of() : ds.classes());
        // one change for all classes: checkAll() checks them one at a time, and each single change made the
        // CheckComboBox and the grid filter update again (~150 ms on the FX thread for CamVid's 32 classes)
        filter.getCheckModel().checkIndices(java.util.stream.IntStream.range(0, filter.getItems().size()).toArray());
        selected.set(null);
        vm.setDataset(ds);
    }

    private void resultChanged(MixResult r) {
        PatchItem was = selected.get();
        refreshItems();
        if (r == null) {
            chart.clear("sampling …");
            return;
        }
        double[] counts = new double[r.dataset().numClasses()];
        for (Patch p : r.batch().patches()) {
            if (p.label() >= 0 && p.label() < counts.length) {
                counts[p.label()]++;
            }
        }
        chart.setValues(r.dataset().classes(), counts);
        selected.set(was != null && was.index() < items.size() ? findIndex(was.index()) : null);
        long asked = r.requestedAt();
        // visible = after the next pulse has laid out and rendered the grid
        javafx.application.Platform.runLater(() ->
                Perf.record("mix: change → grid visible", (System.nanoTime() - asked) / 1e6));
        Perf.record("mix: decode+sample+crop", r.sampleMs());
    }

    private PatchItem findIndex(int index) {
        for (PatchItem it : items) {
            if (it.index() == index) {
                return it;
            }
        }
        return null;
    }

    private void refreshItems() {
        MixResult r = vm.resultProperty().get();
        if (r == null) {
            items.clear();
            shown.setText("");
            return;
        }
        boolean[] keep = new boolean[256];
        for (ClassInfo c : filter.getCheckModel().getCheckedItems()) {
            if (c != null && c.index() >= 0 && c.index() < 256) {
                keep[c.index()] = true;
            }
        }
        List<PatchItem> list = new ArrayList<>();
        MixedBatch b = r.batch();
        for (int i = 0; i < b.size(); i++) {
            Patch p = b.patch(i);
            if (p.label() >= 0 && p.label() < 256 && keep[p.label()]) {
                list.add(new PatchItem(i, p, r.thumbs()[i]));
            }
        }
        String s = sort.getValue() == null ? "" : sort.getValue();
        Comparator<PatchItem> cmp = switch (s) {
            case "class" -> Comparator.comparingInt((PatchItem it) -> it.patch().label())
                    .thenComparing(it -> -it.patch().purity());
            case "purity (high first)" -> Comparator.comparingDouble((PatchItem it) -> -it.patch().purity());
            case "purity (low first)" -> Comparator.comparingDouble((PatchItem it) -> it.patch().purity());
            case "size" -> Comparator.comparingInt((PatchItem it) -> -it.patch().size());
            default -> null;
        };
        if (cmp != null) {
            list.sort(cmp.thenComparingInt(PatchItem::index));
        }
        items.setAll(list);
        shown.setText(list.size() + " of " + b.size() + " patches");
    }

    private String describe(PatchItem it) {
        MixResult r = vm.resultProperty().get();
        Patch p = it.patch();
        String cls = r == null ? String.valueOf(p.label())
                : ClassColors.name(r.dataset().classes(), p.label(), r.dataset().ignoreIndex());
        return String.format("#%d %s · purity %.2f · side %d · %s (%d, %d)", it.index(), cls, p.purity(), p.size(),
                p.imageId(), p.cx(), p.cy());
    }

    private void showSource(PatchItem it) {
        MixResult r = vm.resultProperty().get();
        long gen = ++sourceGeneration;
        if (it == null || r == null) {
            source.setContent(new Group());
            sourceInfo.setText("Click a patch to see where it comes from");
            return;
        }
        ImagePair pair = r.pairs().get(it.patch().imageIndex());
        sourceInfo.setText(describe(it));
        Background.run("source image", () -> {
            Sample s = DatasetAccess.read(r.dataset(), pair);
            return new Object[] {s, Images.rgb(s.rgb(), s.width(), s.height())};
        }, res -> {
            if (gen != sourceGeneration) {
                return;
            }
            Sample s = (Sample) res[0];
            Group g = new Group(new ImageView((javafx.scene.image.Image) res[1]));
            Rectangle frame = new Rectangle(0, 0, s.width(), s.height());
            frame.setFill(Color.TRANSPARENT);
            g.getChildren().add(frame);
            int shownBoxes = 0;
            Rectangle highlight = null;
            for (int i = 0; i < r.batch().size(); i++) {
                Patch p = r.batch().patch(i);
                if (p.imageIndex() != it.patch().imageIndex()) {
                    continue;
                }
                Rectangle box = new Rectangle(p.x0(), p.y0(), p.size(), p.size());
                box.setFill(Color.TRANSPARENT);
                box.setStroke(ClassColors.fx(r.dataset().classes(), p.label()));
                box.setStrokeWidth(Math.max(1.5, s.width() / 300.0));
                box.setOpacity(0.9);
                if (i == it.index()) {
                    highlight = box;
                } else {
                    g.getChildren().add(box);
                }
                shownBoxes++;
            }
            if (highlight != null) {
                Rectangle halo = new Rectangle(highlight.getX(), highlight.getY(), highlight.getWidth(),
                        highlight.getHeight());
                halo.setFill(Color.rgb(255, 255, 255, 0.18));
                halo.setStroke(Color.WHITE);
                halo.setStrokeWidth(highlight.getStrokeWidth() * 4);
                highlight.setStrokeWidth(highlight.getStrokeWidth() * 2.2);
                g.getChildren().addAll(halo, highlight);
            }
            source.setContent(g);
            sourceInfo.setText(describe(it) + "\n" + pair.id() + ": " + shownBoxes + " patches in this batch");
        }, err -> sourceInfo.setText(UserMessages.describe(err)));
    }

    @Override
    public void prepareSnapshot() {
        if (selected.get() == null && !items.isEmpty()) {
            selected.set(items.get(Math.min(3, items.size() - 1)));
        }
    }

    @Override
    public boolean readyForSnapshot() {
        if (vm.resultProperty().get() != null && selected.get() == null && !items.isEmpty()) {
            prepareSnapshot();
            return false;
        }
        return vm.resultProperty().get() != null && chart.upToDate();
    }

    /** A patch with a border in its class colour; hover shows label and purity; click selects it. */
    private final class PatchCell extends GridCell<PatchItem> {
        private final ImageView view = new ImageView();
        private final StackPane box = new StackPane(view);

        PatchCell() {
            view.setFitWidth(CELL - 8);
            view.setFitHeight(CELL - 8);
            view.setPreserveRatio(true);
            box.setPadding(new Insets(2));
            setOnMouseEntered(e -> {
                if (getItem() != null) {
                    hover.setText(describe(getItem()));
                    // made on the first hover: a Tooltip is a popup window, and building one per cell made
                    // creating a screenful of cells (first show, every scroll into new rows) slow
                    if (getTooltip() == null) {
                        setTooltip(new Tooltip());
                    }
                    getTooltip().setText(describe(getItem()));
                }
            });
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    selected.set(getItem());
                }
            });
            selected.addListener((o, a, b) -> style());
        }

        @Override
        protected void updateItem(PatchItem item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                view.setImage(null);
                return;
            }
            view.setImage(item.thumb());
            setGraphic(box);
            style();
        }

        private void style() {
            PatchItem it = getItem();
            MixResult r = vm.resultProperty().get();
            if (it == null || r == null) {
                return;
            }
            // Background/Border objects, not CSS strings: no style parsing while a big grid scrolls
            Color c = ClassColors.fx(r.dataset().classes(), it.patch().label());
            boolean sel = selected.get() != null && selected.get().index() == it.index();
            box.setBackground(ClassColors.background(c));
            box.setBorder(ClassColors.border(sel ? Color.WHITE : c, 3));
            box.setEffect(sel ? SELECTED_EFFECT : null);
        }
    }
}
