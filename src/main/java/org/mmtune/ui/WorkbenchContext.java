package org.mmtune.ui;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.stage.Window;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.ui.bench.StallMonitor;
import org.mmtune.ui.common.Background;
import org.mmtune.ui.common.DatasetAccess;
import org.mmtune.util.UserMessages;

/**
 * What the views of one workbench window share: the open dataset, the open run folder, the status line
 * and the engine state, plus shared view models (see {@link #shared}). All properties live on the FX
 * thread.
 */
public final class WorkbenchContext {

    private final ReadOnlyObjectWrapper<SegmentationDataset> dataset = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<Path> datasetPath = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> runDir = new SimpleObjectProperty<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty engineState = new SimpleStringProperty("engine: not loaded");
    private final StringProperty device = new SimpleStringProperty("device: ?");
    private final BooleanProperty engineReady = new SimpleBooleanProperty(false);
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private final Map<Class<?>, Object> shared = new HashMap<>();
    private Window window;
    private Runnable onDatasetOpened = () -> { };

    /** The open dataset (null until one is loaded). */
    public ReadOnlyObjectProperty<SegmentationDataset> datasetProperty() {
        return dataset.getReadOnlyProperty();
    }

    public SegmentationDataset dataset() {
        return dataset.get();
    }

    public ObjectProperty<Path> datasetPathProperty() {
        return datasetPath;
    }

    /** The run folder opened with File ▸ Open run (null if none): views showing runs follow it. */
    public ObjectProperty<Path> runDirProperty() {
        return runDir;
    }

    /** One plain line shown in the status bar. */
    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty engineStateProperty() {
        return engineState;
    }

    public StringProperty deviceProperty() {
        return device;
    }

    public BooleanProperty engineReadyProperty() {
        return engineReady;
    }

    /** True while a dataset is being opened. */
    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** Shows a plain line in the status bar. */
    public void report(String line) {
        Background.runFx(() -> message.set(line));
    }

    /** The window, for dialogs (may be null in tests). */
    public Window window() {
        return window;
    }

    void setWindow(Window window) {
        this.window = window;
    }

    void setOnDatasetOpened(Runnable r) {
        onDatasetOpened = r;
    }

    /** A view model shared between views (e.g. the mixed batch the Match view graphs), made on first use. */
    @SuppressWarnings("unchecked")
    public synchronized <T> T shared(Class<T> type, Supplier<T> make) {
        return (T) shared.computeIfAbsent(type, k -> make.get());
    }

    private int opens;

    /** Opens a dataset folder in the background; on success it becomes {@link #datasetProperty()}. */
    public void openDataset(Path folder) {
        loading.set(true);
        report("Opening " + folder + " …");
        long t0 = System.nanoTime();
        String phase = StallMonitor.currentPhase();
        // the first opening pays for the cold start (first frames, first style pass); later ones are told apart
        StallMonitor.phaseIfRunning(opens++ == 0 ? "opening a dataset" : "opening a dataset again (warm)");
        Background.run("open dataset", () -> {
            SegmentationDataset opened = DatasetAccess.open(folder);
            // the first hashCode of a record bootstraps its method handles (~100 ms of CPU in a fresh JVM):
            // pay that here rather than on the FX thread, where the views put the classes in maps and sets
            opened.classes().forEach(Object::hashCode);
            return opened;
        }, ds -> {
            loading.set(false);
            datasetPath.set(folder.toAbsolutePath().normalize());
            dataset.set(ds);
            int images = ds.splits().values().stream().mapToInt(java.util.List::size).sum();
            report(String.format("Opened %s: %s, %d classes, %d images (%.0f ms)", ds.name(), ds.format(),
                    ds.numClasses(), images, (System.nanoTime() - t0) / 1e6));
            onDatasetOpened.run();
            restorePhase(phase);
        }, err -> {
            loading.set(false);
            restorePhase(phase);
            report("Could not open dataset: " + UserMessages.describe(err));
        });
    }

    private static void restorePhase(String phase) {
        if (phase != null) {
            StallMonitor.phaseIfRunning(phase);
        }
    }

    /** Sets an already loaded dataset (tests reach it through their {@code TestContexts} helper). */
    void setDataset(SegmentationDataset ds, Path folder) {
        datasetPath.set(folder);
        dataset.set(ds);
    }
}
