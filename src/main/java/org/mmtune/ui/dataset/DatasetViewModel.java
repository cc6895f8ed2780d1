package org.mmtune.ui.dataset;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.DatasetReport;
import org.mmtune.data.DatasetValidator;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.ClassColors;
import org.mmtune.ui.common.DatasetAccess;
import org.mmtune.ui.common.Images;
import org.mmtune.util.UserMessages;

/** State of the Dataset view: split, its pairs, the selected image with its overlay, statistics. FX thread. */
public final class DatasetViewModel {

    private final ObjectProperty<SegmentationDataset> dataset = new SimpleObjectProperty<>();
    private final ObservableList<String> splits = FXCollections.observableArrayList();
    private final StringProperty split = new SimpleStringProperty();
    private final ObservableList<ImagePair> pairs = FXCollections.observableArrayList();
    private final ObjectProperty<ImagePair> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<Sample> sample = new SimpleObjectProperty<>();
    private final ObjectProperty<Image> image = new SimpleObjectProperty<>();
    private final ObjectProperty<Image> overlay = new SimpleObjectProperty<>();
    private final DoubleProperty overlayOpacity = new SimpleDoubleProperty(0.5);
    private final BooleanProperty outlines = new SimpleBooleanProperty(true);
    private final ObservableList<BooleanProperty> classShown = FXCollections.observableArrayList();
    private final ObjectProperty<double[]> frequencies = new SimpleObjectProperty<>();
    private final StringProperty frequencyNote = new SimpleStringProperty("");
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final StringProperty hover = new SimpleStringProperty("");
    private final StringProperty imageInfo = new SimpleStringProperty("");
    /** Pairs fully decoded per split for the frequencies (headers of all pairs are checked). */
    static final int SAMPLE_LIMIT = 60;

    private long statsGeneration;
    private DatasetReport report;
    private SegmentationDataset reportFor;
    private long imageGeneration;

    public DatasetViewModel() {
        split.addListener((o, a, s) -> splitChanged());
        selected.addListener((o, a, p) -> loadSelected());
        outlines.addListener((o, a, b) -> rebuildOverlay());
    }

    public ObjectProperty<SegmentationDataset> datasetProperty() { return dataset; }
    public ObservableList<String> splits() { return splits; }
    public StringProperty splitProperty() { return split; }
    public ObservableList<ImagePair> pairs() { return pairs; }
    public ObjectProperty<ImagePair> selectedProperty() { return selected; }
    public ObjectProperty<Sample> sampleProperty() { return sample; }
    public ObjectProperty<Image> imageProperty() { return image; }
    public ObjectProperty<Image> overlayProperty() { return overlay; }
    public DoubleProperty overlayOpacityProperty() { return overlayOpacity; }
    /** Whether class borders are drawn white on top of the filled overlay. */
    public BooleanProperty outlinesProperty() { return outlines; }
    public ObservableList<BooleanProperty> classShown() { return classShown; }
    public ObjectProperty<double[]> frequenciesProperty() { return frequencies; }
    public StringProperty frequencyNoteProperty() { return frequencyNote; }
    public ObservableList<String> problems() { return problems; }
    public StringProperty hoverProperty() { return hover; }
    public StringProperty imageInfoProperty() { return imageInfo; }

    /** A new dataset: resets split, legend and statistics. */
    public void setDataset(SegmentationDataset ds) {
        dataset.set(ds);
        classShown.clear();
        sample.set(null);
        image.set(null);
        overlay.set(null);
        if (ds == null) {
            splits.clear();
            pairs.clear();
            return;
        }
        for (int i = 0; i < ds.numClasses(); i++) {
            BooleanProperty b = new SimpleBooleanProperty(true);
            b.addListener((o, a, v) -> rebuildOverlay());
            classShown.add(b);
        }
        splits.setAll(ds.splitNames());
        String first = ds.hasSplit("train") ? "train" : ds.splitNames().isEmpty() ? null : ds.splitNames().get(0);
        if (first != null && first.equals(split.get())) {
            splitChanged();
        } else {
            split.set(first);
        }
    }

    private void splitChanged() {
        SegmentationDataset ds = dataset.get();
        String s = split.get();
        if (ds == null || s == null || !ds.hasSplit(s)) {
            pairs.clear();
            return;
        }
        pairs.setAll(ds.pairs(s));
        selected.set(pairs.isEmpty() ? null : pairs.get(0));
        computeStatistics(ds, s);
    }

    private void computeStatistics(SegmentationDataset ds, String s) {
        DatasetReport known = report;
        if (known != null && known.splits().containsKey(s) && reportFor == ds) {
            showReport(known.splits().get(s), s);
            return;
        }
        long gen = ++statsGeneration;
        frequencies.set(null);
        problems.setAll("checking the dataset …");
        Background.run("validate dataset", () -> DatasetValidator.validate(ds, SAMPLE_LIMIT), rep -> {
            if (gen != statsGeneration) {
                return;
            }
            report = rep;
            reportFor = ds;
            DatasetReport.SplitReport sr = rep.splits().get(split.get());
            if (sr != null) {
                showReport(sr, split.get());
            }
        }, err -> {
            if (gen == statsGeneration) {
                problems.setAll("validation failed: " + UserMessages.describe(err));
            }
        });
    }

    private void showReport(DatasetReport.SplitReport sr, String s) {
        SegmentationDataset ds = dataset.get();
        double[] f = new double[ds == null ? 0 : ds.numClasses()];
        for (DatasetReport.ClassFrequency cf : sr.classFrequencies()) {
            if (cf.index() >= 0 && cf.index() < f.length) {
                f[cf.index()] = cf.fraction();
            }
        }
        long labelled = 0;
        for (DatasetReport.ClassFrequency cf : sr.classFrequencies()) {
            labelled += cf.pixels();
        }
        long all = labelled + sr.voidPixels();
        frequencies.set(f);
        frequencyNote.set(String.format("from %d of %d images%s, void %.1f%% of pixels", sr.decoded(), sr.images(),
                sr.sampled() ? " (evenly spread sample)" : "", all == 0 ? 0.0 : 100.0 * sr.voidPixels() / all));
        List<String> lines = new ArrayList<>();
        if (sr.problemCount() == 0) {
            lines.add("no problems found in " + s + " (" + sr.images() + " pairs)");
        } else {
            lines.add(sr.problemCount() + " problem(s) in " + s + ": missing " + sr.missing() + ", refused "
                    + sr.refused() + ", unreadable " + sr.unreadable() + ", size mismatches " + sr.sizeMismatches()
                    + ", label pixels outside the classes " + sr.outOfRangePixels());
            lines.addAll(sr.problems());
            if (sr.problemCount() > sr.problems().size()) {
                lines.add("… and " + (sr.problemCount() - sr.problems().size()) + " more");
            }
        }
        problems.setAll(lines);
    }

    private void loadSelected() {
        ImagePair p = selected.get();
        SegmentationDataset ds = dataset.get();
        long gen = ++imageGeneration;
        if (p == null || ds == null) {
            return;
        }
        imageInfo.set(p.id() + " (loading…)");
        Background.run("read " + p.id(), () -> {
            Sample s = DatasetAccess.read(ds, p);
            return new Object[] {s, Images.rgb(s.rgb(), s.width(), s.height()),
                Images.labelOverlay(s.labels(), s.width(), s.height(), ds.classes(), shownMask(), outlines.get())};
        }, r -> {
            if (gen != imageGeneration) {
                return;
            }
            Sample s = (Sample) r[0];
            sample.set(s);
            image.set((Image) r[1]);
            overlay.set((Image) r[2]);
            imageInfo.set(s.id() + "  " + s.width() + "×" + s.height());
        }, err -> {
            if (gen == imageGeneration) {
                sample.set(null);
                image.set(null);
                overlay.set(null);
                imageInfo.set(UserMessages.describe(err));
            }
        });
    }

    private boolean[] shownMask() {
        boolean[] m = new boolean[classShown.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = classShown.get(i).get();
        }
        return m;
    }

    private void rebuildOverlay() {
        Sample s = sample.get();
        SegmentationDataset ds = dataset.get();
        if (s != null && ds != null) {
            overlay.set(Images.labelOverlay(s.labels(), s.width(), s.height(), ds.classes(), shownMask(),
                    outlines.get()));
        }
    }

    /** Shows every class, or none. */
    public void showAll(boolean show) {
        List<BooleanProperty> copy = new ArrayList<>(classShown);
        copy.forEach(b -> b.set(show));
    }

    /** Updates the hover text for image pixel (x, y); outside the image clears it. */
    public void hoverAt(double x, double y) {
        Sample s = sample.get();
        SegmentationDataset ds = dataset.get();
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        if (s == null || ds == null || ix < 0 || iy < 0 || ix >= s.width() || iy >= s.height()) {
            hover.set("");
            return;
        }
        int label = s.label(ix, iy);
        List<ClassInfo> classes = ds.classes();
        hover.set(String.format("(%d, %d)  %s", ix, iy, ClassColors.name(classes, label, ds.ignoreIndex())));
    }
}
