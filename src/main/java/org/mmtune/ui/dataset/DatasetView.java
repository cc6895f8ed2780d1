package org.mmtune.ui.dataset;

import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.ImagePair;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.ui.SnapshotAware;
import org.mmtune.ui.WorkbenchContext;
import org.mmtune.ui.common.ClassBarChart;
import org.mmtune.ui.common.ClassColors;
import org.mmtune.ui.common.Thumbnails;
import org.mmtune.ui.common.ZoomPane;

/**
 * The Dataset view: split selector and thumbnail grid on the left, the selected image with its
 * ground-truth overlay (zoom, pan, hover) in the middle, legend, class pixel frequencies and validation
 * problems on the right.
 */
public final class DatasetView extends BorderPane implements SnapshotAware {

    static final int THUMB_W = 112;
    static final int THUMB_H = 84;
    private static final javafx.scene.paint.Color SELECTED = javafx.scene.paint.Color.rgb(56, 116, 216);

    private final DatasetViewModel vm = new DatasetViewModel();
    private final GridView<ImagePair> grid = new GridView<>();
    private final ZoomPane zoom = new ZoomPane();
    private final ImageView imageView = new ImageView();
    private final ImageView overlayView = new ImageView();
    private final VBox legend = new VBox(2);
    private final ClassBarChart chart = new ClassBarChart("Class pixel frequency", "share of pixels");

    public DatasetView(WorkbenchContext ctx) {
        setId("dataset-view");
        ctx.datasetProperty().addListener((o, a, ds) -> datasetChanged(ds));

        // left: split + thumbnails
        ComboBox<String> split = new ComboBox<>(vm.splits());
        split.setId("split-selector");
        split.valueProperty().bindBidirectional(vm.splitProperty());
        Label count = new Label();
        count.textProperty().bind(javafx.beans.binding.Bindings.size(vm.pairs()).asString("%d images"));
        HBox splitBar = new HBox(8, new Label("Split"), split, count);
        splitBar.setAlignment(Pos.CENTER_LEFT);
        splitBar.setPadding(new Insets(6));
        grid.setId("thumbnail-grid");
        grid.setItems(vm.pairs());
        grid.setCellWidth(THUMB_W);
        grid.setCellHeight(THUMB_H + 16);
        grid.setHorizontalCellSpacing(4);
        grid.setVerticalCellSpacing(4);
        grid.setCellFactory(g -> new ThumbCell());
        VBox.setVgrow(grid, Priority.ALWAYS);
        VBox left = new VBox(splitBar, grid);
        left.setMinWidth(140);

        // centre: image + overlay
        overlayView.opacityProperty().bind(vm.overlayOpacityProperty());
        imageView.imageProperty().bind(vm.imageProperty());
        overlayView.imageProperty().bind(vm.overlayProperty());
        Group stack = new Group(imageView, overlayView);
        stack.setOnMouseMoved(e -> vm.hoverAt(e.getX(), e.getY()));
        stack.setOnMouseExited(e -> vm.hoverAt(-1, -1));
        zoom.setContent(stack);
        zoom.setId("image-pane");
        vm.imageProperty().addListener((o, a, img) -> {
            if (img != null && (a == null || a.getWidth() != img.getWidth() || a.getHeight() != img.getHeight())) {
                zoom.fit();
            }
        });
        Slider opacity = new Slider(0, 1, 0.5);
        opacity.setId("overlay-opacity");
        opacity.valueProperty().bindBidirectional(vm.overlayOpacityProperty());
        opacity.setPrefWidth(140);
        Label info = new Label();
        info.textProperty().bind(vm.imageInfoProperty());
        Label hover = new Label();
        hover.setId("hover-label");
        hover.textProperty().bind(vm.hoverProperty());
        hover.setMinWidth(200);
        Button fit = new Button("Fit");
        fit.setOnAction(e -> zoom.fit());
        fit.setTooltip(new Tooltip("Fit the image (or double-click it); wheel zooms, drag pans"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        CheckBox outlines = new CheckBox("outlines");
        outlines.setId("overlay-outlines");
        outlines.selectedProperty().bindBidirectional(vm.outlinesProperty());
        outlines.setTooltip(new Tooltip("Draw the borders between classes in white"));
        HBox imageBar = new HBox(8, info, spacer, hover, new Label("Overlay"), opacity, outlines, fit);
        imageBar.setAlignment(Pos.CENTER_LEFT);
        imageBar.setPadding(new Insets(6));
        BorderPane centre = new BorderPane(zoom);
        centre.setTop(imageBar);

        // right: legend, chart, problems
        Button all = new Button("All");
        all.setOnAction(e -> vm.showAll(true));
        Button none = new Button("None");
        none.setOnAction(e -> vm.showAll(false));
        HBox legendBar = new HBox(6, bold("Classes"), all, none);
        legendBar.setAlignment(Pos.CENTER_LEFT);
        ScrollPane legendScroll = new ScrollPane(legend);
        legendScroll.setFitToWidth(true);
        legendScroll.setPrefViewportHeight(200);
        legend.setId("class-legend");
        legend.setPadding(new Insets(2));
        Label freqNote = new Label();
        freqNote.textProperty().bind(vm.frequencyNoteProperty());
        freqNote.setStyle("-fx-font-size: 10px; -fx-text-fill: #555;");
        vm.frequenciesProperty().addListener((o, a, f) -> {
            SegmentationDataset ds = vm.datasetProperty().get();
            if (ds != null && f != null) {
                chart.setValues(ds.classes(), f);
            } else {
                chart.clear("computing …");
            }
        });
        chart.node().setPrefHeight(260);
        ListView<String> problems = new ListView<>(vm.problems());
        problems.setId("problems-list");
        problems.setPrefHeight(120);
        VBox.setVgrow(problems, Priority.ALWAYS);
        VBox right = new VBox(6, legendBar, legendScroll, chart.node(), freqNote, bold("Validation"), problems);
        right.setPadding(new Insets(6));
        right.setMinWidth(240);

        SplitPane split3 = new SplitPane(left, centre, right);
        split3.setId("dataset-split");
        split3.setOrientation(Orientation.HORIZONTAL);
        split3.setDividerPositions(0.2, 0.74);
        SplitPane.setResizableWithParent(left, false);
        SplitPane.setResizableWithParent(right, false);
        setCenter(split3);
        if (ctx.dataset() != null) {
            datasetChanged(ctx.dataset());
        }
    }

    public DatasetViewModel viewModel() {
        return vm;
    }

    private static Label bold(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private void datasetChanged(SegmentationDataset ds) {
        vm.setDataset(ds);
        legend.getChildren().clear();
        if (ds == null) {
            return;
        }
        chart.clear("computing …");
        for (ClassInfo c : ds.classes()) {
            CheckBox box = new CheckBox(c.name());
            box.setId("legend-" + c.index());
            box.selectedProperty().bindBidirectional(vm.classShown().get(c.index()));
            Rectangle swatch = new Rectangle(14, 14, ClassColors.fx(c));
            swatch.setStroke(javafx.scene.paint.Color.gray(0.3));
            box.setGraphic(swatch);
            legend.getChildren().add(box);
        }
    }

    @Override
    public boolean readyForSnapshot() {
        return vm.imageProperty().get() != null && vm.frequenciesProperty().get() != null && chart.upToDate();
    }

    /** A thumbnail with its id underneath; a click selects the image. */
    private final class ThumbCell extends GridCell<ImagePair> {
        private final ImageView view = new ImageView();
        private final Label name = new Label();
        private final VBox box = new VBox(1, view, name);

        ThumbCell() {
            box.setAlignment(Pos.CENTER);
            name.setStyle("-fx-font-size: 10px;");
            name.setMaxWidth(THUMB_W);
            view.setFitWidth(THUMB_W);
            view.setFitHeight(THUMB_H);
            view.setPreserveRatio(true);
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    vm.selectedProperty().set(getItem());
                }
            });
            vm.selectedProperty().addListener((o, a, b) -> style());
        }

        @Override
        protected void updateItem(ImagePair item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                view.setImage(null);
                return;
            }
            name.setText(item.id());
            view.setImage(Thumbnails.cached(item.image(), THUMB_W, THUMB_H));
            if (view.getImage() == null) {
                Thumbnails.request(item.image(), THUMB_W, THUMB_H, img -> {
                    if (getItem() == item) {
                        view.setImage(img);
                    }
                });
            }
            setGraphic(box);
            style();
        }

        private void style() {
            boolean sel = getItem() != null && getItem() == vm.selectedProperty().get();
            box.setBackground(sel ? ClassColors.background(SELECTED) : null);
            name.setTextFill(sel ? javafx.scene.paint.Color.WHITE : javafx.scene.paint.Color.BLACK);
        }
    }
}
