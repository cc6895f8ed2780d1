package org.mmtune.ui.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.experiment.runs.AblationSummary;
import org.mmtune.experiment.runs.LabelPng;
import org.mmtune.experiment.runs.MaskStats;
import org.mmtune.experiment.runs.RunCatalog;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.experiment.runs.RunFolderException;
import org.mmtune.experiment.runs.RunResults;
import org.mmtune.experiment.runs.RunSummary;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.DatasetAccess;
import org.mmtune.util.AtomicFiles;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Runs/Results view's state: the runs of a runs folder, the (up to three) runs being compared with
 * their results, the validation images of their dataset, and the image being looked at with each run's
 * prediction and IoU. Work happens in the background; properties change on the FX thread.
 */
public final class ResultsViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsViewModel.class);
    public static final int MAX_COMPARED = 3;
    public static final String[] LETTERS = {"A", "B", "C"};

    /** One validation image with the truth and each compared run's prediction (null where missing). */
    public record ImageData(ImagePair pair, Sample sample, List<LabelPng.Labels> predictions, double[] iou,
                            List<String> notes) {
    }

    private final ObjectProperty<Path> runsDir = new SimpleObjectProperty<>(this, "runsDir");
    private final ObjectProperty<AblationSummary> ablation = new SimpleObjectProperty<>(this, "ablation");
    private final ObservableList<RunSummary> runs = FXCollections.observableArrayList();
    private final ObservableList<RunSummary> compared = FXCollections.observableArrayList();
    private final ObservableMap<Path, RunResults> results = FXCollections.observableHashMap();
    private final ObjectProperty<SegmentationDataset> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final ObservableList<ImagePair> images = FXCollections.observableArrayList();
    private final StringProperty split = new SimpleStringProperty(this, "split", "");
    private final IntegerProperty imageIndex = new SimpleIntegerProperty(this, "imageIndex", -1);
    private final ObjectProperty<ImageData> current = new SimpleObjectProperty<>(this, "current");
    private final ObservableMap<String, double[]> perImageIoU = FXCollections.observableHashMap();
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty problem = new SimpleStringProperty(this, "problem");
    private final IntegerProperty loads = new SimpleIntegerProperty(this, "loads", 0);
    private final javafx.beans.property.BooleanProperty busyPredicting =
            new javafx.beans.property.SimpleBooleanProperty(this, "busyPredicting", false);
    private final AtomicInteger generation = new AtomicInteger();
    private final Map<Path, SegmentationDataset> datasets = new ConcurrentHashMap<>();
    private SegmentationDataset openInWorkbench;

    public ResultsViewModel(Path runsDir) {
        this.runsDir.set(runsDir);
        imageIndex.addListener((o, a, i) -> loadImage(i.intValue()));
    }

    public ObjectProperty<Path> runsDirProperty() {
        return runsDir;
    }

    public ObservableList<RunSummary> runs() {
        return runs;
    }

    /** The runs folder's ablation (its {@code ablation.json}), or null when it is not an ablation folder. */
    public ObjectProperty<AblationSummary> ablationProperty() {
        return ablation;
    }

    public ObservableList<RunSummary> compared() {
        return compared;
    }

    public ObservableMap<Path, RunResults> results() {
        return results;
    }

    public ObjectProperty<SegmentationDataset> datasetProperty() {
        return dataset;
    }

    public ObservableList<ImagePair> images() {
        return images;
    }

    public StringProperty splitProperty() {
        return split;
    }

    public IntegerProperty imageIndexProperty() {
        return imageIndex;
    }

    public ObjectProperty<ImageData> currentProperty() {
        return current;
    }

    public ObservableMap<String, double[]> perImageIoU() {
        return perImageIoU;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /** Why the images cannot be shown (null when they can). */
    public StringProperty problemProperty() {
        return problem;
    }

    /** Counts finished image loads (tests and snapshots wait on it). */
    public IntegerProperty loadsProperty() {
        return loads;
    }

    /** The dataset open in the workbench, used when a run trained on the same folder. */
    void setOpenDataset(SegmentationDataset ds) {
        openInWorkbench = ds;
    }

    /** Re-reads the runs folder in the background. */
    public void refresh() {
        Path dir = runsDir.get();
        if (dir == null) {
            return;
        }
        Background.run("list runs", () -> RunCatalog.list(dir), list -> {
            List<Path> keep = compared.stream().map(RunSummary::dir).toList();
            runs.setAll(list);
            // keep the comparison's summaries fresh (state, mIoU) without reloading images
            for (int i = 0; i < compared.size(); i++) {
                Path p = compared.get(i).dir();
                int k = i;
                list.stream().filter(r -> r.dir().equals(p)).findFirst().ifPresent(r -> compared.set(k, r));
            }
            if (keep.isEmpty() && list.isEmpty()) {
                message.set("No runs in " + dir + " yet");
            }
        }, err -> message.set(dir + ": " + UserMessages.describe(err)));
        Background.run("read ablation", () -> AblationSummary.read(dir), a -> {
            if (dir.equals(runsDir.get())) {
                ablation.set(a.orElse(null));
            }
        }, err -> {
            ablation.set(null);
            message.set(err instanceof RunFolderException ? err.getMessage() : dir + ": " + UserMessages.describe(err));
        });
    }

    /** Compares the run in {@code dir} alone (an ablation cell opened from the Ablation tab). */
    public void open(Path dir) {
        Background.run("open run", () -> RunSummary.read(dir), r -> compare(List.of(r)),
                err -> message.set(dir + ": " + UserMessages.describe(err)));
    }

    /** Compares up to {@link #MAX_COMPARED} runs given by their folders, side by side. */
    public void openAll(List<Path> dirs) {
        Background.run("open runs", () -> dirs.stream().filter(RunSummary::isRunFolder).map(RunSummary::read).toList(),
                this::compare, err -> message.set(UserMessages.describe(err)));
    }

    /** Compares these runs (the first is A); loads their results, dataset and first image. */
    public void compare(List<RunSummary> selection) {
        List<RunSummary> sel = selection.stream().limit(MAX_COMPARED).toList();
        if (sel.isEmpty()) {
            return;
        }
        int gen = generation.incrementAndGet();
        // the shown image's predictions belong to the previous comparison: drop them before the views hear of
        // the new one
        current.set(null);
        compared.setAll(sel);
        results.clear();
        perImageIoU.clear();
        problem.set(null);
        if (selection.size() > MAX_COMPARED) {
            message.set("Comparing the first " + MAX_COMPARED + " of the " + selection.size() + " selected runs");
        }
        for (RunSummary r : sel) {
            Background.run("results of " + r.name(), () -> RunResults.read(r.dir()), res -> {
                if (gen == generation.get()) {
                    res.ifPresent(x -> results.put(r.dir(), x));
                }
            }, err -> message.set(err instanceof RunFolderException ? err.getMessage()
                    : r.name() + ": " + UserMessages.describe(err)));
        }
        Path dsPath = sel.stream().map(RunSummary::dataset).filter(p -> p != null).findFirst().orElse(null);
        Background.run("open dataset for results", () -> datasetFor(dsPath), ds -> {
            if (gen != generation.get()) {
                return;
            }
            dataset.set(ds);
            if (ds == null) {
                images.clear();
                problem.set(dsPath == null ? "The runs' config names no dataset, and none is open: open one to see images"
                        : "The runs' dataset " + dsPath + " is not there: open it (File ▸ Open Dataset) to see images");
                message.set(problem.get());
                return;
            }
            problem.set(null);
            String s = evalSplit(sel.get(0).dir(), ds);
            split.set(s);
            images.setAll(ds.pairs(s));
            imageIndex.set(-1);
            if (!images.isEmpty()) {
                imageIndex.set(0);
            }
            computePerImageIoU(gen, ds, List.copyOf(images), sel);
        }, err -> {
            problem.set("Could not open the runs' dataset: " + UserMessages.describe(err));
            message.set(problem.get());
            dataset.set(null);
            images.clear();
        });
    }

    private SegmentationDataset datasetFor(Path path) throws DatasetException {
        SegmentationDataset open = openInWorkbench;
        if (path == null) {
            return open;
        }
        if (!Files.isDirectory(path)) {
            // the run's folder is not reachable from here: the workbench's dataset will do if it is the same one
            boolean sameName = open != null && path.getFileName() != null && open.root().getFileName() != null
                    && open.root().getFileName().toString().equals(path.getFileName().toString());
            return sameName ? open : null;
        }
        if (open != null && open.root().toAbsolutePath().normalize().equals(path.toAbsolutePath().normalize())) {
            return open;
        }
        SegmentationDataset ds = datasets.get(path);
        if (ds == null) {
            ds = DatasetAccess.open(path);
            datasets.put(path, ds);
        }
        return ds;
    }

    /** The split the run evaluated (its config's eval.split, else valSplit), else the dataset's val split. */
    static String evalSplit(Path runDir, SegmentationDataset ds) {
        com.fasterxml.jackson.databind.JsonNode cfg = RunSummary.RunConfigInfo.read(runDir).tree();
        if (cfg != null) {
            com.fasterxml.jackson.databind.JsonNode eval = cfg.get("eval");
            for (com.fasterxml.jackson.databind.JsonNode n : new com.fasterxml.jackson.databind.JsonNode[] {
                    eval == null ? null : eval.get("split"), cfg.get("valSplit")}) {
                if (n != null && n.isTextual() && ds.hasSplit(n.asText())) {
                    return n.asText();
                }
            }
        }
        return pickSplit(ds);
    }

    static String pickSplit(SegmentationDataset ds) {
        for (String s : List.of("val", "validation", "test")) {
            if (ds.hasSplit(s)) {
                return s;
            }
        }
        List<String> names = ds.splitNames();
        return names.get(names.size() - 1);
    }

    /** Moves to the next (+1) or previous (-1) image, wrapping around. */
    public void step(int delta) {
        int n = images.size();
        if (n == 0) {
            return;
        }
        int i = imageIndex.get() < 0 ? 0 : Math.floorMod(imageIndex.get() + delta, n);
        imageIndex.set(i);
    }

    private void loadImage(int index) {
        SegmentationDataset ds = dataset.get();
        if (ds == null || index < 0 || index >= images.size()) {
            return;
        }
        ImagePair pair = images.get(index);
        List<RunSummary> runsNow = List.copyOf(compared);
        int gen = generation.get();
        Background.run("load " + pair.id(), () -> readImage(ds, pair, runsNow), data -> {
            if (gen == generation.get() && imageIndex.get() == index) {
                current.set(data);
                if (java.util.Arrays.stream(data.iou()).anyMatch(v -> !Double.isNaN(v))) {
                    perImageIoU.put(pair.id(), data.iou());
                }
            }
            loads.set(loads.get() + 1);
        }, err -> {
            message.set(pair.id() + ": " + UserMessages.describe(err));
            loads.set(loads.get() + 1);
        });
    }

    /** {@code <run>/predictions/<id>.png}, the id made file-name safe as the pipeline does. */
    static Path predictionFile(Path runDir, ImagePair pair) {
        Path dir = RunFiles.predictions(runDir);
        Path plain = dir.resolve(pair.id() + ".png");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        return dir.resolve(pair.id().replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
    }

    private static ImageData readImage(SegmentationDataset ds, ImagePair pair, List<RunSummary> runs)
            throws DatasetException {
        Sample s = DatasetAccess.read(ds, pair);
        List<LabelPng.Labels> preds = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double[] iou = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            Path f = predictionFile(runs.get(i).dir(), pair);
            LabelPng.Labels l = null;
            String note = null;
            if (!Files.isRegularFile(f)) {
                note = "no prediction (" + runs.get(i).dir().relativize(f) + ")";
            } else {
                try {
                    l = LabelPng.read(f);
                    if (l.width() != s.width() || l.height() != s.height()) {
                        note = f.getFileName() + " is " + l.width() + "×" + l.height() + ", the image "
                                + s.width() + "×" + s.height();
                        l = null;
                    }
                } catch (RunFolderException e) {
                    note = e.getMessage();
                }
            }
            preds.add(l);
            notes.add(note);
            iou[i] = l == null ? Double.NaN : MaskStats.imageMeanIoU(s.labels(), l.values(), ds.numClasses(),
                    s.ignoreIndex());
        }
        return new ImageData(pair, s, preds, iou, notes);
    }

    private void computePerImageIoU(int gen, SegmentationDataset ds, List<ImagePair> pairs, List<RunSummary> runs) {
        Background.run("per-image IoU", () -> {
            Map<String, double[]> out = new HashMap<>();
            for (ImagePair p : pairs) {
                if (gen != generation.get()) {
                    return out;
                }
                boolean any = runs.stream().anyMatch(r -> Files.isRegularFile(predictionFile(r.dir(), p)));
                if (!any) {
                    continue;
                }
                try {
                    out.put(p.id(), readImage(ds, p, runs).iou());
                } catch (DatasetException | RuntimeException e) {
                    LOG.debug("per-image IoU of {}", p.id(), e);
                }
            }
            return out;
        }, map -> {
            if (gen == generation.get()) {
                perImageIoU.putAll(map);
            }
        }, err -> LOG.debug("per-image IoU failed", err));
    }

    /** Images of the split that the compared runs have no prediction for (run → images). */
    public Map<RunSummary, List<ImagePair>> missingPredictions() {
        Map<RunSummary, List<ImagePair>> out = new java.util.LinkedHashMap<>();
        for (RunSummary r : compared) {
            List<ImagePair> missing = images.stream().filter(p -> !Files.isRegularFile(predictionFile(r.dir(), p)))
                    .toList();
            if (!missing.isEmpty() && Files.isDirectory(RunFiles.checkpoints(r.dir()))) {
                out.put(r, missing);
            }
        }
        return out;
    }

    /**
     * Computes the missing predictions of the compared runs with the pipeline's {@code mmtune predict} (as a
     * child process, one per run, into {@code <run>/predictions}), then shows them.
     */
    public void predictMissing() {
        Map<RunSummary, List<ImagePair>> todo = missingPredictions();
        if (todo.isEmpty()) {
            message.set("Every compared run with a checkpoint already has its predictions");
            return;
        }
        busyPredicting.set(true);
        message.set("Predicting " + todo.values().stream().mapToInt(List::size).sum() + " image(s) for "
                + todo.size() + " run(s)…");
        Background.run("predict missing", () -> {
            List<String> failures = new ArrayList<>();
            for (Map.Entry<RunSummary, List<ImagePair>> e : todo.entrySet()) {
                Path dir = e.getKey().dir();
                List<String> args = new ArrayList<>(List.of("predict", "--run", dir.toString()));
                e.getValue().forEach(p -> args.add(p.image().toAbsolutePath().toString()));
                args.add("--out");
                args.add(RunFiles.predictions(dir).toString());
                org.mmtune.experiment.runs.TrainProcess child =
                        org.mmtune.experiment.runs.TrainProcess.startCli(args, dir);
                try {
                    child.waitFor(Long.MAX_VALUE);
                    int code = child.exitCode().orElse(-1);
                    if (code != 0) {
                        List<String> tail = child.consoleTail(1);
                        failures.add(e.getKey().name() + ": " + (tail.isEmpty() ? "exit code " + code : tail.get(0)));
                    }
                } finally {
                    if (child.isAlive()) {
                        child.destroyTree(5000);
                    }
                    child.cleanup();
                }
            }
            return failures;
        }, failures -> {
            busyPredicting.set(false);
            message.set(failures.isEmpty() ? "Predictions computed" : "predict failed: " + String.join("; ", failures));
            compare(List.copyOf(compared));
        }, err -> {
            busyPredicting.set(false);
            message.set("predict failed: " + UserMessages.describe(err));
        });
    }

    public javafx.beans.property.BooleanProperty busyPredictingProperty() {
        return busyPredicting;
    }

    /** Deletes a run folder (in the background) and refreshes the list. */
    public void delete(RunSummary run) {
        Background.run("delete " + run.name(), () -> {
            RunCatalog.delete(run.dir());
            return run;
        }, r -> {
            message.set("Deleted " + r.dir());
            if (compared.removeIf(c -> c.dir().equals(r.dir()))) {
                compare(List.copyOf(compared));
            }
            refresh();
        }, err -> message.set(err instanceof RunFolderException ? err.getMessage()
                : run.name() + ": " + UserMessages.describe(err)));
    }

    /** The per-class IoU table of the compared runs as CSV (one row per class, then mIoU and accuracy). */
    public String tableCsv() {
        StringBuilder sb = new StringBuilder("class");
        List<RunResults> rs = new ArrayList<>();
        for (RunSummary r : compared) {
            sb.append(',').append(csv(r.name()));
            rs.add(results.get(r.dir()));
        }
        sb.append('\n');
        int rows = rs.stream().filter(r -> r != null).mapToInt(r -> r.perClass().size()).max().orElse(0);
        for (int i = 0; i < rows; i++) {
            String name = null;
            StringBuilder vals = new StringBuilder();
            for (RunResults r : rs) {
                vals.append(',');
                if (r != null && i < r.perClass().size()) {
                    name = name == null ? r.perClass().get(i).name() : name;
                    vals.append(num(r.perClass().get(i).iou()));
                }
            }
            sb.append(csv(name == null ? "class " + i : name)).append(vals).append('\n');
        }
        sb.append("mIoU");
        rs.forEach(r -> sb.append(',').append(r == null ? "" : num(r.mIoU())));
        sb.append("\npixelAccuracy");
        rs.forEach(r -> sb.append(',').append(r == null ? "" : num(r.pixelAccuracy())));
        sb.append('\n');
        return sb.toString();
    }

    public void exportCsv(Path file) {
        String text = tableCsv();
        Background.run("export CSV", () -> {
            AtomicFiles.writeString(file, text);
            return file;
        }, f -> message.set("Wrote " + f), err -> message.set(file + ": " + UserMessages.describe(err)));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Letter (A, B, C) and name of compared run i. */
    public String label(int i) {
        return i < compared.size() ? LETTERS[i] + ": " + compared.get(i).name() : LETTERS[i];
    }


    /**
     * Writes a run's backbone (its M&M checkpoint, else proxy, else fine-tuned) to {@code out} (.safetensors or
     * .npz) under torchvision names; returns a line for the status bar. Blocking: call it off the FX thread.
     */
    public static String exportBackbone(java.nio.file.Path runDir, java.nio.file.Path out) throws java.io.IOException {
        return org.mmtune.experiment.WeightImports.exportRunBackbone(runDir, out);
    }
}
