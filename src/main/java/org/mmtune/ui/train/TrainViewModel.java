package org.mmtune.ui.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Worker;
import javafx.util.Duration;
import org.mmtune.experiment.ConfigException;
import org.mmtune.experiment.EngineInfo;
import org.mmtune.experiment.ExperimentConfig;
import org.mmtune.experiment.ExperimentConfigs;
import org.mmtune.experiment.runs.EmbeddingSnapshot;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.experiment.runs.RunFolderException;
import org.mmtune.experiment.runs.RunFollower;
import org.mmtune.experiment.runs.RunState;
import org.mmtune.experiment.runs.RunStatus;
import org.mmtune.ui.common.Background;
import org.mmtune.util.AtomicFiles;
import org.mmtune.util.UserMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Train view's state: the experiment being edited (a JSON tree, the same file the CLI reads), the
 * queue of training jobs (each a child process, run one after another), and the run being followed
 * live (charts, log tail, embeddings). FX thread only, except where noted.
 */
public final class TrainViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(TrainViewModel.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LOG_LINES = 400;

    private final ObjectProperty<ObjectNode> config = new SimpleObjectProperty<>(this, "config");
    private final StringProperty configName = new SimpleStringProperty(this, "configName", "");
    private final ObjectProperty<Path> configFile = new SimpleObjectProperty<>(this, "configFile");
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty", false);
    private final ObservableList<String> presets = FXCollections.observableArrayList();
    private final ObjectProperty<Path> runsDir = new SimpleObjectProperty<>(this, "runsDir");
    private final ObservableList<String> devices = FXCollections.observableArrayList("auto", "cpu");
    private final StringProperty deviceReport = new SimpleStringProperty(this, "deviceReport", "DJL devices: …");
    private final ObservableList<TrainJob> jobs = FXCollections.observableArrayList();
    private final IntegerProperty activeJobs = new SimpleIntegerProperty(this, "activeJobs", 0);
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty followedState = new SimpleStringProperty(this, "followedState", "No run followed");
    /** The followed run's unreadable files last said in the status bar (said again only when they change). */
    private List<String> reportedProblems = List.of();
    private final ObservableList<String> logLines = FXCollections.observableArrayList();
    private final ObjectProperty<EmbeddingSnapshot> embedding = new SimpleObjectProperty<>(this, "embedding");
    private final IntegerProperty updates = new SimpleIntegerProperty(this, "updates", 0);
    private final List<TrainJob> allJobs = new ArrayList<>();
    private final ObservableList<HistoryEntry> history = FXCollections.observableArrayList();
    /** Training runs one job at a time, at a lower OS priority so the workbench stays responsive meanwhile. */
    private final ExecutorService queue = Executors.newSingleThreadExecutor(
            org.mmtune.util.Nice.backgroundThreads("mmtune-train-queue", false));
    private final RunCharts charts = new RunCharts();
    private final RunMonitor monitor;
    private int jobCounter;
    /** The root of the dataset open in the workbench (null when none). */
    private Path openDataset;
    /**
     * The {@code dataset} value the form had when it last followed the open dataset (or when its preset was
     * loaded): while the form still shows it, the user has not chosen a dataset of their own, so the form
     * follows the workbench. Null after an experiment file was loaded: a file keeps its own dataset.
     */
    private String followedValue;

    public TrainViewModel(Path runsDir) {
        this.runsDir.set(runsDir);
        presets.setAll(ExperimentConfigs.PRESETS);
        monitor = new RunMonitor(Duration.millis(400), this::apply, this::clearFollowed);
        config.addListener((o, a, b) -> dirty.set(false));
    }

    // ---- the experiment -------------------------------------------------------------------------

    public ObjectProperty<ObjectNode> configProperty() {
        return config;
    }

    public StringProperty configNameProperty() {
        return configName;
    }

    public ObjectProperty<Path> configFileProperty() {
        return configFile;
    }

    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    public ObservableList<String> presets() {
        return presets;
    }

    public ObjectProperty<Path> runsDirProperty() {
        return runsDir;
    }

    public ObservableList<String> devices() {
        return devices;
    }

    /** What DJL reports (e.g. "DJL: CPU only" or "DJL: 2 GPUs"). */
    public StringProperty deviceReportProperty() {
        return deviceReport;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /**
     * The dataset open in the workbench changed: a form loaded from a preset whose {@code dataset} the user
     * has not changed follows it, so that Run trains on what the workbench shows. A form loaded from an
     * experiment file, or whose dataset was edited, keeps its value.
     */
    public void setOpenDataset(Path root) {
        openDataset = root;
        ObjectNode c = config.get();
        if (root == null || c == null || followedValue == null
                || !followedValue.equals(c.path("dataset").asText(null))) {
            return;
        }
        boolean wasDirty = dirty.get();
        ObjectNode copy = c.deepCopy();
        copy.put("dataset", root.toString());
        followedValue = root.toString();
        config.set(copy);
        dirty.set(wasDirty);
    }

    /** Marks the form as edited (called by the form). */
    void edited() {
        dirty.set(true);
    }

    public void loadPreset(String name) {
        try {
            ObjectNode c = tree(ExperimentConfigs.toJson(ExperimentConfigs.preset(name)));
            followedValue = c.path("dataset").asText(null);
            boolean follows = openDataset != null;
            if (follows) {
                c.put("dataset", openDataset.toString());
                followedValue = openDataset.toString();
            }
            config.set(c);
            configName.set(name);
            configFile.set(null);
            message.set("Preset " + name + " loaded" + (follows ? " for the open dataset " + openDataset.getFileName() : ""));
        } catch (ConfigException | IOException e) {
            LOG.debug("preset {}", name, e);
            message.set("Could not load preset " + name + ": " + UserMessages.describe(e));
        }
    }

    /**
     * Loads an experiment file (the CLI's --config), completed with the pipeline's defaults so that every
     * setting shows in the form. Errors are reported as one line naming the file and key.
     */
    public boolean loadFile(Path file) {
        try {
            ExperimentConfig c = ExperimentConfigs.read(file);
            followedValue = null;
            config.set(tree(ExperimentConfigs.toJson(c)));
            configName.set(stem(file));
            configFile.set(file);
            message.set("Loaded " + file);
            return true;
        } catch (ConfigException | IOException e) {
            LOG.debug("config {}", file, e);
            message.set(UserMessages.describe(e));
            return false;
        }
    }

    private static ObjectNode tree(String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        if (n == null || !n.isObject()) {
            throw new IOException("the experiment is not a JSON object");
        }
        return (ObjectNode) n;
    }

    /** The edited experiment as JSON, checked by the pipeline's own rules; null (and a message) if invalid. */
    private String validJson(String what) {
        ObjectNode c = config.get();
        if (c == null) {
            message.set("Load a preset or an experiment file first");
            return null;
        }
        try {
            String json = JSON.writeValueAsString(c);
            ExperimentConfigs.parse(json, what);
            return json;
        } catch (ConfigException | IOException e) {
            LOG.debug("invalid experiment", e);
            message.set(UserMessages.describe(e));
            return null;
        }
    }

    /** Saves the experiment as the CLI reads it (atomically). */
    public boolean saveFile(Path file) {
        String json = validJson(file.getFileName().toString());
        if (json == null) {
            return false;
        }
        try {
            AtomicFiles.writeString(file, json + "\n");
            configFile.set(file);
            configName.set(stem(file));
            dirty.set(false);
            message.set("Saved " + file);
            return true;
        } catch (IOException e) {
            LOG.debug("save {}", file, e);
            message.set(file + ": " + UserMessages.describe(e));
            return false;
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    }

    /** Asks DJL which devices exist (in the background; the engine load may take a moment). */
    public void detectDevices() {
        if ("off".equals(System.getProperty("mmtune.engine"))) {
            deviceReport.set("DJL devices: not checked");
            return;
        }
        Background.run("detect devices", () -> EngineInfo.current().gpus(), gpus -> {
            if (gpus > 0) {
                devices.setAll("auto", "cpu", "gpu");
                deviceReport.set("DJL: " + gpus + " GPU(s) and the CPU");
            } else {
                devices.setAll("auto", "cpu");
                deviceReport.set("DJL: CPU only");
            }
        }, err -> {
            LOG.debug("device detection failed", err);
            deviceReport.set("DJL: engine unavailable");
        });
    }

    // ---- jobs --------------------------------------------------------------------------------------

    /** Jobs queued or running (finished ones leave the list). */
    public ObservableList<TrainJob> jobs() {
        return jobs;
    }

    /** A finished job as the history list shows it. */
    public record HistoryEntry(String text, Path runDir) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Finished, failed and cancelled jobs of this session, newest first. */
    public ObservableList<HistoryEntry> history() {
        return history;
    }

    /** Every job of this session, including finished ones. */
    public List<TrainJob> allJobs() {
        return List.copyOf(allJobs);
    }

    public IntegerProperty activeJobsProperty() {
        return activeJobs;
    }

    public boolean hasActiveJobs() {
        return activeJobs.get() > 0;
    }

    /** Queues a run of the current experiment; returns the job (null if there is nothing to run). */
    public TrainJob run() {
        String json = validJson("the experiment");
        if (json == null) {
            return null;
        }
        Path dir = newRunDir();
        jobCounter++;
        TrainJob job = new TrainJob("#" + jobCounter + " " + dir.getFileName(), json, dir, null,
                j -> Platform.runLater(() -> follow(j.runDir())));
        allJobs.add(job);
        jobs.add(job);
        activeJobs.set(activeJobs.get() + 1);
        job.stateProperty().addListener((o, a, s) -> {
            if (s == Worker.State.SUCCEEDED || s == Worker.State.FAILED || s == Worker.State.CANCELLED) {
                activeJobs.set(activeJobs.get() - 1);
                jobs.remove(job);
                String took = job.startedAt == 0 ? "" : " after " + TrainJob.formatDuration(
                        java.time.Duration.ofMillis(System.currentTimeMillis() - job.startedAt));
                String line;
                if (s == Worker.State.FAILED) {
                    line = "✗ " + UserMessages.describe(job.getException());
                } else if (s == Worker.State.SUCCEEDED) {
                    line = "✓ " + dir.getFileName() + " finished" + took;
                } else {
                    line = "– " + dir.getFileName() + (job.startedAt == 0 ? " dropped from the queue" : " cancelled" + took);
                }
                message.set(line.substring(2));
                history.add(0, new HistoryEntry(line, dir));
                if (dir.equals(monitor.runDir())) {
                    monitor.pollNow();
                }
            }
        });
        queue.submit(job);
        message.set(activeJobs.get() > 1 ? "Queued " + dir.getFileName() + " (" + (activeJobs.get() - 1)
                + " ahead)" : "Starting " + dir.getFileName());
        return job;
    }

    private Path newRunDir() {
        JsonNode nameNode = config.get() == null ? null : config.get().get("name");
        String name = nameNode != null && nameNode.isTextual() && !nameNode.asText().isBlank() ? nameNode.asText()
                : configName.get();
        String base = (name == null || name.isBlank() ? "run" : name)
                .replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path root = runsDir.get() == null ? Path.of("runs").toAbsolutePath() : runsDir.get();
        Path dir = root.resolve(base);
        int n = 2;
        while (Files.exists(dir) || isPlanned(dir)) {
            dir = root.resolve(base + "-" + n++);
        }
        return dir;
    }

    private boolean isPlanned(Path dir) {
        return allJobs.stream().anyMatch(j -> j.runDir().equals(dir));
    }

    /** Cancels every queued and running job (their children are stopped). */
    public void cancelAll() {
        for (TrainJob j : List.copyOf(jobs)) {
            j.cancel(true);
        }
    }

    /** Drops the jobs that wait in the queue (the running one goes on). */
    public void dropQueued() {
        for (TrainJob j : List.copyOf(jobs)) {
            if (!j.isRunning()) {
                j.cancel(false);
            }
        }
    }

    /** Leaves running children running when the window closes; queued jobs are dropped. */
    public void detachAll() {
        for (TrainJob j : List.copyOf(jobs)) {
            if (j.isRunning()) {
                j.detach();
            } else {
                j.cancel(true);
            }
        }
    }

    // ---- following a run ----------------------------------------------------------------------------

    public RunCharts charts() {
        return charts;
    }

    public ObjectProperty<EmbeddingSnapshot> embeddingProperty() {
        return embedding;
    }

    public ObservableList<String> logLines() {
        return logLines;
    }

    public StringProperty followedStateProperty() {
        return followedState;
    }

    /** Counts applied updates (for tests and snapshot settling). */
    public IntegerProperty updatesProperty() {
        return updates;
    }

    public Path followedRun() {
        return monitor.runDir();
    }

    /** Follows a run folder (ours or one started elsewhere, e.g. on the command line). */
    public void follow(Path runDir) {
        if (runDir != null && runDir.equals(monitor.runDir())) {
            return;
        }
        monitor.follow(runDir);
        followedState.set(runDir == null ? "No run followed" : "Following " + runDir.getFileName() + "…");
    }

    private void clearFollowed() {
        reportedProblems = List.of();
        charts.clear();
        logLines.clear();
        embedding.set(null);
    }

    private void apply(RunFollower.Update u) {
        if (u.metricsReset()) {
            charts.clear();
        }
        charts.add(u.metrics());
        if (!u.logLines().isEmpty()) {
            logLines.addAll(u.logLines());
            if (logLines.size() > LOG_LINES) {
                logLines.remove(0, logLines.size() - LOG_LINES);
            }
        }
        Path dir = monitor.runDir();
        String state = u.status().map(s -> describe(s)).orElse(u.problems().stream()
                .anyMatch(p -> p.startsWith(RunFiles.STATUS + ":")) ? "state unknown" : "waiting for " + RunFiles.STATUS);
        followedState.set(dir.getFileName() + ": " + state + (u.skippedLines() > 0 ? " (" + u.skippedLines()
                + " unreadable metrics lines skipped)" : "")
                + (u.problems().isEmpty() ? "" : " · " + String.join("; ", u.problems())));
        // a file that cannot be read is said once in the status bar (by its full path), not at every poll
        if (!u.problems().equals(reportedProblems)) {
            reportedProblems = u.problems();
            if (!u.problems().isEmpty()) {
                message.set(dir + java.io.File.separator + u.problems().get(0)
                        + (u.problems().size() > 1 ? " (and " + (u.problems().size() - 1) + " more)" : ""));
            }
        }
        u.embeddingFile().ifPresent(f -> Background.run("read embeddings", () -> EmbeddingSnapshot.read(f),
                s -> {
                    if (dir.equals(monitor.runDir())) {
                        embedding.set(s);
                    }
                }, err -> message.set(err instanceof RunFolderException ? err.getMessage()
                        : f + ": " + UserMessages.describe(err))));
        updates.set(updates.get() + 1);
    }

    private static String describe(RunStatus s) {
        StringBuilder sb = new StringBuilder(s.state().label());
        if (s.stage() != null && !s.stage().isBlank()) {
            sb.append(s.state() == RunState.RUNNING ? " · stage " : " · last stage ").append(s.stage());
        }
        if (s.message() != null && !s.message().isBlank()) {
            sb.append(" · ").append(s.message());
        }
        return sb.toString();
    }

    /** Stops following and cancels the jobs (application exit). */
    public void shutdown() {
        monitor.stop();
        queue.shutdownNow();
    }

    /** True for pretrained weights files that {@link #importInitCheckpoint} imports. */
    public boolean isImportable(Path file) {
        return org.mmtune.experiment.WeightImports.isImportable(file);
    }

    /**
     * Imports a pretrained weights file for the form's backbone ({@code backbone.type}, {@code backbone.widthDivisor})
     * into {@code <runs>/imports/<name>-<type>-w<N>.params} (+ its report). Blocking: call it off the FX thread.
     */
    public org.mmtune.experiment.WeightImports.Imported importInitCheckpoint(Path source) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode b = config.get() == null ? null : config.get().get("backbone");
        String type = b != null && b.hasNonNull("type") ? b.get("type").asText() : "alexnet";
        int div = b != null && b.hasNonNull("widthDivisor") ? b.get("widthDivisor").asInt() : 4;
        Path root = runsDir.get() == null ? Path.of("runs").toAbsolutePath() : runsDir.get();
        return org.mmtune.experiment.WeightImports.importFor(source, type, div, root.resolve("imports"));
    }
}
