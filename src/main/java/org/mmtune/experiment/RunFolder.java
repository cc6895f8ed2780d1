package org.mmtune.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.mmtune.eval.EvalResult;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.EmbeddingSnapshot;
import org.mmtune.train.IterationMetrics;
import org.mmtune.train.PatchInfo;
import org.mmtune.train.Stage;
import org.mmtune.train.StageOutcome;
import org.mmtune.train.TrainingListener;
import org.mmtune.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run folder, written by exactly one process (a lock file refuses a second writer):
 * <pre>
 *   config.json          the resolved experiment
 *   run.log              human-readable log lines
 *   status.json          {"state","stage","message","pid","startedAt","updatedAt"} (atomic rewrite)
 *   metrics.jsonl        one JSON object per iteration, appended and flushed
 *   embeddings/mm-NNNNNN.json   2-D PCA of M&amp;M batch embeddings
 *   checkpoints/STAGE.params + STAGE.json
 *   probes.json          probes of the initial weights and stage checkpoints (when probes are enabled)
 *   results.json         final metrics (and the probes); predictions/ID.png palette predictions
 * </pre>
 * Times are epoch seconds. As a {@link TrainingListener} it records everything a stage reports.
 */
public final class RunFolder implements TrainingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel metrics;
    private final BufferedWriter log;
    private final double startedAt;
    private volatile String state = "running";
    private volatile String stage = "";
    private volatile String message = "";
    private long lastStatusWrite;
    private boolean logBroken;

    private RunFolder(Path dir, FileChannel ch, FileLock lock, double startedAt) throws IOException {
        this.dir = dir;
        this.lockChannel = ch;
        this.lock = lock;
        this.startedAt = startedAt;
        Files.createDirectories(RunFiles.checkpoints(dir));
        // one write per line, no buffer: a failed append never leaves text queued to be written later
        this.metrics = FileChannel.open(RunFiles.metrics(dir), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.log = Files.newBufferedWriter(RunFiles.log(dir), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Opens (creating) a run folder for writing.
     *
     * @param resume false refuses a folder that already holds a run (config.json)
     * @throws IOException naming the folder when it is locked by another process or already used
     */
    public static RunFolder open(Path dir, boolean resume) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException(dir + ": cannot create the run folder (" + e.getFile() + " is a file)", e);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException(dir + ": cannot create the run folder (" + plain(e) + ")", e);
        }
        if (!resume && Files.exists(RunFiles.config(dir))) {
            throw new IOException(dir + ": already holds a run (use --resume to continue it, or another --run-dir)");
        }
        if (resume && !Files.exists(RunFiles.config(dir))) {
            throw new IOException(dir + ": no run to resume (" + RunFiles.CONFIG + " missing)");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(RunFiles.lock(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException(RunFiles.lock(dir) + ": cannot write in the run folder (" + plain(e) + ")", e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IOException(dir + ": in use by another process (lock " + RunFiles.LOCK + " is held)");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
        double started = System.currentTimeMillis() / 1000.0;
        if (resume) {
            try {
                var n = JSON.readTree(RunFiles.status(dir).toFile());
                if (n != null && n.has("startedAt") && n.get("startedAt").isNumber()) {
                    started = n.get("startedAt").asDouble();
                }
            } catch (IOException e) {
                LOG.debug("no previous status in {}", dir, e);
            }
        }
        String repaired = resume ? repairAfterStop(dir) : null;
        RunFolder run;
        try {
            run = new RunFolder(dir, ch, lock, started);
        } catch (IOException e) {
            lock.release();
            ch.close();
            throw e instanceof java.nio.file.FileSystemException fse
                    ? new IOException(fse.getFile() + ": cannot write in the run folder (" + plain(fse) + ")", e) : e;
        }
        if (repaired != null) {
            run.log(repaired);
        }
        return run;
    }

    /**
     * Before a resume (with the lock held): removes temporary files of writers that were killed and drops
     * from {@code metrics.jsonl} a cut final line and the lines of iterations after each stage's last
     * checkpoint (they are run again). Returns a line for run.log, or null when nothing had to be done.
     */
    static String repairAfterStop(Path dir) {
        int temps = 0;
        temps += AtomicFiles.removeStaleTemps(dir);
        for (String sub : RunFiles.FOLDERS) {
            temps += AtomicFiles.removeStaleTemps(dir.resolve(sub));
        }
        int dropped = 0;
        Path file = RunFiles.metrics(dir);
        try {
            if (Files.isRegularFile(file)) {
                dropped = trimMetrics(file, RunFiles.checkpoints(dir));
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot tidy metrics before resuming ({})", dir, e.getMessage());
        }
        if (temps == 0 && dropped == 0) {
            return null;
        }
        return "resume: removed " + temps + " unfinished temporary file(s), dropped " + dropped
                + " metrics line(s) after the last checkpoints";
    }

    private static int trimMetrics(Path file, Path checkpoints) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1; // a final line without newline was cut by a kill
        int dropped = end < text.length() ? 1 : 0;
        Map<String, Integer> limits = new java.util.HashMap<>();
        for (Stage s : Stage.values()) {
            try {
                limits.put(s.id(), Checkpoints.resumePoint(checkpoints, s).orElse(0));
            } catch (IOException e) {
                LOG.debug("{} checkpoint unreadable; keeping its metrics", s.id(), e);
                limits.put(s.id(), Integer.MAX_VALUE);
            }
        }
        StringBuilder kept = new StringBuilder();
        for (String line : text.substring(0, end).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                var n = JSON.readTree(line);
                Integer limit = n == null || !n.has("stage") ? null : limits.get(n.get("stage").asText());
                if (n == null || !n.isObject() || (limit != null && n.path("iteration").asInt() > limit)) {
                    dropped++;
                    continue;
                }
            } catch (IOException e) {
                dropped++;
                continue;
            }
            kept.append(line).append('\n');
        }
        if (dropped > 0) {
            AtomicFiles.writeString(file, kept.toString());
        }
        return dropped;
    }

    private static String plain(java.nio.file.FileSystemException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    public Path dir() {
        return dir;
    }

    public Path checkpoints() {
        return RunFiles.checkpoints(dir);
    }

    public Path configFile() {
        return RunFiles.config(dir);
    }

    public void writeConfig(ExperimentConfig cfg) throws IOException {
        AtomicFiles.writeString(configFile(), ExperimentConfigs.toJson(cfg));
    }

    /** Rewrites status.json. */
    public synchronized void status(String newState, String newStage, String newMessage) {
        this.state = newState;
        if (newStage != null) {
            this.stage = newStage;
        }
        this.message = newMessage == null ? "" : newMessage;
        writeStatus();
    }

    private synchronized void writeStatus() {
        ObjectNode n = JSON.createObjectNode();
        n.put("state", state);
        n.put("stage", stage);
        n.put("message", message);
        n.put("pid", ProcessHandle.current().pid());
        n.put("startedAt", startedAt);
        n.put("updatedAt", System.currentTimeMillis() / 1000.0);
        try {
            AtomicFiles.writeString(RunFiles.status(dir), PRETTY.writeValueAsString(n));
        } catch (IOException e) {
            LOG.warn(e.getMessage());
            LOG.debug("status", e);
        }
        lastStatusWrite = System.currentTimeMillis();
    }

    /** Appends a line to run.log (and flushes). */
    public synchronized void log(String line) {
        try {
            log.write(LOG_TIME.format(Instant.now()) + "  " + line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            if (!logBroken) {
                logBroken = true;
                LOG.warn(AtomicFiles.describe(RunFiles.log(dir), e));
            } else {
                LOG.debug("{}: cannot write run.log", dir, e);
            }
        }
    }

    public void writeResults(EvalResult r) throws IOException {
        writeResults(r, null);
    }

    /** Writes results.json: the evaluation and, when given, the probes under the key {@code probes}. */
    public void writeResults(EvalResult r, ObjectNode probes) throws IOException {
        ObjectNode n = PRETTY.valueToTree(r);
        if (probes != null) {
            n.set("probes", probes);
        }
        AtomicFiles.writeString(RunFiles.results(dir), PRETTY.writeValueAsString(n));
    }

    /** The probes of the run, {@code {"initial": {...}, "proxy": {...}, "mm": {...}}}. */
    public static final String PROBES = "probes.json";

    public void writeProbes(ObjectNode probes) throws IOException {
        AtomicFiles.writeString(dir.resolve(PROBES), PRETTY.writeValueAsString(probes));
    }

    /** An empty JSON object. */
    public static ObjectNode jsonObject() {
        return JSON.createObjectNode();
    }

    /** A value as a JSON tree. */
    public static ObjectNode jsonTree(Object value) {
        return JSON.valueToTree(value);
    }

    @Override
    public void onStageStart(Stage s, int startIteration, int totalIterations) {
        status("running", s.id(), startIteration > 0
                ? s.id() + " resumed at iteration " + startIteration + " of " + totalIterations
                : s.id() + " started (" + totalIterations + " iterations)");
        log(message);
    }

    @Override
    public synchronized void onIteration(IterationMetrics m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("stage", m.stage().id());
        n.put("iteration", m.iteration());
        n.put("totalIterations", m.totalIterations());
        Double epoch = m.extras().get("epoch");
        if (epoch != null) {
            n.put("epoch", epoch.intValue());
        }
        n.put("loss", finite(m.loss()));
        n.put("lr", m.lr());
        n.put("time", m.time());
        n.put("elapsedSeconds", Math.round(m.elapsedSeconds() * 1000) / 1000.0);
        for (Map.Entry<String, Double> e : m.extras().entrySet()) {
            if (!e.getKey().equals("epoch")) {
                n.put(e.getKey(), finite(e.getValue()));
            }
        }
        try {
            java.nio.ByteBuffer line = java.nio.ByteBuffer.wrap((JSON.writeValueAsString(n) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                metrics.write(line);
            }
        } catch (IOException e) {
            // a full disk or a folder that turned read-only: stop the stage rather than train on unrecorded
            throw new java.io.UncheckedIOException(AtomicFiles.describe(RunFiles.metrics(dir), e), e);
        }
        Double miou = m.extras().get("valMIoU");
        if (m.iteration() % 25 == 0 || m.iteration() == m.totalIterations() || miou != null) {
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%s %d/%d loss %.4f lr %.5f",
                    m.stage().id(), m.iteration(), m.totalIterations(), m.loss(), m.lr()));
            Double v = m.extras().get("violatedFraction");
            if (v != null) {
                sb.append(String.format(java.util.Locale.ROOT, " violated %.3f", v));
            }
            if (miou != null) {
                sb.append(String.format(java.util.Locale.ROOT, " val mIoU %.4f", miou));
            }
            log(sb.toString());
        }
        if (System.currentTimeMillis() - lastStatusWrite > 5000) {
            message = m.stage().id() + " iteration " + m.iteration() + " of " + m.totalIterations();
            writeStatus();
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : -1;
    }

    @Override
    public void onEmbeddings(EmbeddingSnapshot s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("iteration", s.iteration());
        ArrayNode labels = n.putArray("labels");
        for (int l : s.labels()) {
            labels.add(l);
        }
        ArrayNode pts = n.putArray("points");
        for (double[] p : s.points()) {
            pts.addArray().add(Math.round(p[0] * 1e5) / 1e5).add(Math.round(p[1] * 1e5) / 1e5);
        }
        ArrayNode patches = n.putArray("patches");
        for (PatchInfo p : s.patches()) {
            ObjectNode o = patches.addObject();
            o.put("image", p.image());
            o.put("cx", p.cx());
            o.put("cy", p.cy());
            o.put("size", p.size());
            o.put("label", p.label());
        }
        try {
            AtomicFiles.writeString(RunFiles.embeddings(dir).resolve(RunFiles.embeddingSnapshot(s.iteration())),
                    JSON.writeValueAsString(n));
        } catch (IOException e) {
            LOG.warn("{}: cannot write embeddings ({})", dir, e.getMessage());
        }
    }

    @Override
    public void onStageEnd(Stage s, StageOutcome outcome, String msg) {
        log(msg);
    }

    @Override
    public void onMessage(String msg) {
        log(msg);
    }

    @Override
    public synchronized void close() {
        try {
            metrics.close();
        } catch (IOException e) {
            LOG.debug("closing metrics", e);
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.debug("closing run.log", e);
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("releasing lock", e);
        }
    }
}
