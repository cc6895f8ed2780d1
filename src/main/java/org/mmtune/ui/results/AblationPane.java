package org.mmtune.ui.results;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.ScatterRenderer;
import org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultMultiValueCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.mmtune.experiment.runs.AblationSummary;
import org.mmtune.experiment.runs.AblationSummary.Arm;
import org.mmtune.experiment.runs.AblationSummary.Comparison;
import org.mmtune.experiment.runs.AblationSummary.SeedRun;

/**
 * The Ablation tab of the Results view: arms × seeds with mean ± std and the arms' backbone probes, the
 * paired differences with their 95% intervals, and a chart of each seed's mIoU (dots) over each arm's mean
 * ± std (bars). Clicking a seed's cell opens that run; "Compare seeds" shows an arm's runs side by side.
 */
final class AblationPane extends VBox {

    private final Label title = new Label("Open an ablation folder (one with ablation.json) as the runs folder");
    private final Label probeNote = new Label("Probes of each arm's backbone before fine-tuning (mean over seeds): "
            + "k-NN patch classification accuracy, and the val mIoU of a 1×1 classifier on frozen conv5 features");
    private final TableView<Arm> arms = new TableView<>();
    private final TableView<Comparison> comparisons = new TableView<>();
    private final CategoryPlot plot = new CategoryPlot();
    private final ChartViewer chart;
    private final Consumer<Path> openRun;
    private final Consumer<List<Path>> openRuns;

    AblationPane(Consumer<Path> openRun, Consumer<List<Path>> openRuns) {
        super(6);
        this.openRun = openRun;
        this.openRuns = openRuns;
        setId("results-ablation");
        setPadding(new Insets(6));
        title.setWrapText(true);
        title.setStyle("-fx-font-weight: bold;");
        arms.setId("results-ablation-arms");
        arms.setPlaceholder(new Label("No ablation here"));
        arms.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        arms.getSelectionModel().setCellSelectionEnabled(true);
        arms.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        arms.setFixedCellSize(24);
        arms.setPrefHeight(24 * 6 + 30);
        arms.setOnMouseClicked(e -> {
            if (e.getClickCount() >= 1) {
                openSelectedCell();
            }
        });
        comparisons.setId("results-ablation-comparisons");
        comparisons.setPlaceholder(new Label("No paired comparisons"));
        comparisons.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        comparisons.setFixedCellSize(24);
        comparisons.setPrefHeight(24 * 4 + 30);
        comparisons.getColumns().add(textCol("Paired difference (a − b)", 220, c -> c.a() + " − " + c.b()));
        comparisons.getColumns().add(textCol("Seeds", 50, c -> Integer.toString(c.pairedSeeds().size())));
        comparisons.getColumns().add(textCol("Mean diff. (points)", 135, c -> points(c.meanDiff(), true)));
        comparisons.getColumns().add(textCol("95% interval", 160, c -> c.ci95() == null ? "undefined (one seed)"
                : "[" + points(c.ci95()[0], true) + ", " + points(c.ci95()[1], true) + "]"));
        comparisons.getColumns().add(textCol("Interval", 80, Comparison::verdict));
        Button compareSeeds = new Button("Compare seeds");
        compareSeeds.setId("results-ablation-compare");
        compareSeeds.setTooltip(new Tooltip("Show the selected arm's runs (up to three seeds) side by side"));
        compareSeeds.disableProperty().bind(arms.getSelectionModel().selectedItemProperty().isNull());
        compareSeeds.setOnAction(e -> {
            Arm a = arms.getSelectionModel().getSelectedItem();
            if (a != null) {
                openRuns.accept(a.runs().stream().map(SeedRun::dir).limit(ResultsViewModel.MAX_COMPARED).toList());
            }
        });
        Label hint = new Label("Click a seed's mIoU to open that run");
        hint.setStyle("-fx-text-fill: #666;");
        HBox bar = new HBox(10, compareSeeds, hint);
        probeNote.setWrapText(true);
        probeNote.setStyle("-fx-text-fill: #666; -fx-font-size: 11px;");
        probeNote.managedProperty().bind(probeNote.visibleProperty());
        probeNote.setVisible(false);
        chart = new ChartViewer(chart());
        chart.setId("results-ablation-chart");
        chart.setMinSize(200, 180);
        VBox.setVgrow(chart, Priority.ALWAYS);
        getChildren().addAll(title, arms, probeNote, bar, new Label("Paired differences over seeds"), comparisons, chart);
    }

    /** Shows {@code a} (null: nothing). */
    void show(AblationSummary a) {
        arms.getColumns().clear();
        arms.getItems().clear();
        comparisons.getItems().clear();
        DefaultMultiValueCategoryDataset dots = new DefaultMultiValueCategoryDataset();
        DefaultStatisticalCategoryDataset means = new DefaultStatisticalCategoryDataset();
        plot.setDataset(0, dots);
        plot.setDataset(1, means);
        if (a == null) {
            probeNote.setVisible(false);
            title.setText("Open an ablation folder (one with ablation.json) as the runs folder");
            return;
        }
        TreeSet<Long> seeds = new TreeSet<>();
        a.arms().forEach(arm -> arm.runs().forEach(r -> seeds.add(r.seed())));
        title.setText(String.format(Locale.ROOT, "Ablation %s: %d arms × %d seeds, validation mIoU (%%)",
                a.dir().getFileName(), a.arms().size(), seeds.size()));
        arms.getColumns().add(textCol("Arm", 130, Arm::name));
        for (long seed : seeds) {
            TableColumn<Arm, String> c = textCol("s" + seed, 62, arm -> run(arm, seed).map(r -> points(r.mIoU(), false))
                    .orElse(""));
            c.setUserData(seed);
            c.setCellFactory(col -> new SeedCell(seed));
            arms.getColumns().add(c);
        }
        arms.getColumns().add(textCol("Mean ± std", 100, arm -> points(arm.mean(), false) + " ± "
                + points(arm.std(), false)));
        boolean anyProbe = a.arms().stream().anyMatch(arm -> arm.probeMean("knnAccuracy").isPresent()
                || arm.probeMean("linearProbeMIoU").isPresent());
        probeNote.setVisible(anyProbe);
        if (anyProbe) {
            arms.getColumns().add(textCol("k-NN acc. %", 80, arm -> mean(arm.probeMean("knnAccuracy"))));
            arms.getColumns().add(textCol("Probe mIoU %", 100, arm -> mean(arm.probeMean("linearProbeMIoU"))));
        }
        arms.getItems().setAll(a.arms());
        comparisons.getItems().setAll(a.comparisons());
        for (Arm arm : a.arms()) {
            List<Double> vals = new ArrayList<>();
            arm.runs().stream().filter(r -> Double.isFinite(r.mIoU())).forEach(r -> vals.add(100 * r.mIoU()));
            dots.add(vals, "seeds", arm.name());
            means.add(100 * arm.mean(), Double.isFinite(arm.std()) ? 100 * arm.std() : 0, "mean ± std", arm.name());
        }
    }

    private static java.util.Optional<SeedRun> run(Arm arm, long seed) {
        return arm.runs().stream().filter(r -> r.seed() == seed).findFirst();
    }

    private void openSelectedCell() {
        List<TablePosition> cells = arms.getSelectionModel().getSelectedCells();
        if (cells.isEmpty() || !(cells.get(0).getTableColumn() != null
                && cells.get(0).getTableColumn().getUserData() instanceof Long seed)) {
            return;
        }
        Arm arm = arms.getItems().get(cells.get(0).getRow());
        run(arm, seed).ifPresent(r -> openRun.accept(r.dir()));
    }

    private JFreeChart chart() {
        plot.setDomainAxis(new CategoryAxis("arm"));
        NumberAxis y = new NumberAxis("val mIoU (%)");
        y.setAutoRangeIncludesZero(false);
        plot.setRangeAxis(y);
        ScatterRenderer dotRenderer = new ScatterRenderer();
        dotRenderer.setSeriesPaint(0, new Color(0x1f77b4));
        dotRenderer.setUseSeriesOffset(false);
        dotRenderer.setDefaultToolTipGenerator(null);
        plot.setRenderer(0, dotRenderer);
        StatisticalLineAndShapeRenderer meanRenderer = new StatisticalLineAndShapeRenderer(false, true);
        meanRenderer.setSeriesPaint(0, new Color(0xd62728));
        meanRenderer.setSeriesShape(0, new java.awt.geom.Rectangle2D.Double(-9, -1.5, 18, 3));
        meanRenderer.setErrorIndicatorPaint(new Color(0xd62728));
        meanRenderer.setErrorIndicatorStroke(new BasicStroke(1.4f));
        meanRenderer.setUseSeriesOffset(false);
        plot.setRenderer(1, meanRenderer);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        plot.setBackgroundPaint(new Color(0xfafafa));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart c = new JFreeChart("Validation mIoU: each seed (dots), mean ± std (red)",
                new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    private static String points(double v, boolean signed) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, signed ? "%+.1f" : "%.1f", 100 * v);
    }

    private static String mean(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.1f", 100 * v.getAsDouble()) : "–";
    }

    private static <T> TableColumn<T, String> textCol(String name, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }

    /** A seed's mIoU, looking like a link: clicking it opens the run. */
    private static final class SeedCell extends TableCell<Arm, String> {
        private final long seed;

        SeedCell(long seed) {
            this.seed = seed;
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty ? null : item);
            setStyle(empty || item == null || item.isEmpty() ? "" : "-fx-text-fill: #1a5fb4; -fx-underline: true;");
            Arm arm = empty || getTableRow() == null ? null : getTableRow().getItem();
            setTooltip(arm == null ? null : run(arm, seed).map(r -> new Tooltip("Open " + r.dir())).orElse(null));
        }
    }
}
