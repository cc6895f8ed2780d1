package org.mmtune.experiment.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runs list shows about one run folder, read from its status, config and results files.
 *
 * @param dir       the run folder
 * @param name      its folder name
 * @param state     the run's state
 * @param stage     the stage it is in or ended in (may be null)
 * @param preset    the preset or experiment name from its config (may be null)
 * @param arm       the ablation arm: random, proxy, proxy-mm, random-mm (may be null)
 * @param startedAt when it started (status, else the folder's time)
 * @param duration  how long it ran (null if unknown)
 * @param mIoU      the final validation mIoU, or NaN when it has no results
 * @param dataset   the dataset folder from its config (may be null)
 * @param problem   a one-line note if a file of the run could not be read (else null)
 */
public record RunSummary(Path dir, String name, RunState state, String stage, String preset, String arm,
                         Instant startedAt, Duration duration, double mIoU, Path dataset, String problem) {

    private static final Logger LOG = LoggerFactory.getLogger(RunSummary.class);

    /** The same run shown under another name (e.g. its path below the runs folder). */
    public RunSummary named(String newName) {
        return new RunSummary(dir, newName, state, stage, preset, arm, startedAt, duration, mIoU, dataset, problem);
    }

    /** True if the folder looks like a run folder (has a status, config or metrics file). */
    public static boolean isRunFolder(Path dir) {
        return Files.isDirectory(dir) && (Files.isRegularFile(RunFiles.status(dir))
                || Files.isRegularFile(RunFiles.config(dir)) || Files.isRegularFile(RunFiles.metrics(dir)));
    }

    public static RunSummary read(Path dir) {
        Optional<RunStatus> status = RunStatus.read(dir);
        RunState state = status.map(RunStatus::state).orElse(RunState.UNKNOWN);
        String stage = status.map(RunStatus::stage).orElse(null);
        Instant started = status.map(RunStatus::startedAt).orElse(null);
        Instant updated = status.map(RunStatus::updatedAt).orElse(null);
        if (started == null) {
            started = fileTime(dir);
        }
        Duration duration = null;
        if (started != null) {
            Instant end = state == RunState.RUNNING ? Instant.now() : updated;
            if (end != null && !end.isBefore(started)) {
                duration = Duration.between(started, end);
            }
        }
        String problem = status.isEmpty() ? RunStatus.unreadable(dir).orElse(null) : null;
        RunConfigInfo cfg = RunConfigInfo.read(dir);
        if (cfg.problem() != null && problem == null) {
            problem = cfg.problem();
        }
        double miou = Double.NaN;
        try {
            miou = RunResults.read(dir).map(RunResults::mIoU).orElse(Double.NaN);
        } catch (RunFolderException e) {
            LOG.debug("results of {}", dir, e);
            problem = e.getMessage();
        }
        String arm = cfg.arm();
        return new RunSummary(dir, dir.getFileName().toString(), state, stage, cfg.preset(), arm, started, duration,
                miou, cfg.dataset(), problem);
    }

    private static Instant fileTime(Path dir) {
        try {
            FileTime t = Files.getLastModifiedTime(dir);
            return t.toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What the runs list needs from a run's {@code config.json}, read leniently so that it follows the
     * pipeline's config as it grows.
     */
    public record RunConfigInfo(String preset, String arm, Path dataset, JsonNode tree, String problem) {

        public static RunConfigInfo read(Path dir) {
            Path file = RunFiles.config(dir);
            if (!Files.isRegularFile(file)) {
                return new RunConfigInfo(null, armFromName(dir), null, null, null);
            }
            try {
                JsonNode n = RunJson.MAPPER.readTree(Files.readString(file));
                String preset = firstText(n, "preset", "name");
                String arm = firstText(n, "arm");
                if (arm == null) {
                    arm = armFromStages(n);
                }
                if (arm == null) {
                    arm = armFromName(dir);
                }
                return new RunConfigInfo(preset, arm, datasetPath(n, dir), n, null);
            } catch (IOException e) {
                LOG.debug("config of {}", dir, e);
                return new RunConfigInfo(null, armFromName(dir), null, null, RunJson.problem(file, e));
            } catch (RuntimeException e) {
                LOG.debug("config of {}", dir, e);
                return new RunConfigInfo(null, armFromName(dir), null, null, file + ": not readable as JSON");
            }
        }

        private static String firstText(JsonNode n, String... keys) {
            for (String k : keys) {
                JsonNode v = n.get(k);
                if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                    return v.asText();
                }
            }
            return null;
        }

        /** The dataset folder: {@code "dataset": "path"} or {@code "dataset": {"path"|"root"|"folder": ...}}. */
        static Path datasetPath(JsonNode n, Path runDir) {
            JsonNode d = n.get("dataset");
            String s = null;
            if (d != null && d.isTextual()) {
                s = d.asText();
            } else if (d != null && d.isObject()) {
                s = firstText(d, "path", "root", "folder", "dir");
            }
            if (s == null || s.isBlank()) {
                return null;
            }
            Path p = Path.of(s);
            if (p.isAbsolute()) {
                return p;
            }
            // relative to the working directory of the process that ran it, which we do not know: try ours,
            // then the run folder's ancestors (runs usually live under the project that started them)
            Path here = p.toAbsolutePath().normalize();
            if (Files.isDirectory(here)) {
                return here;
            }
            for (Path a = runDir.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
                Path c = a.resolve(p).normalize();
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
            return here;
        }

        /** random / proxy / proxy-mm / random-mm from which stages are on, when the config says so. */
        static String armFromStages(JsonNode n) {
            Boolean proxy = enabled(n, "proxy");
            Boolean mm = enabled(n, "mm");
            if (proxy == null && mm == null) {
                return null;
            }
            boolean p = Boolean.TRUE.equals(proxy) || initFrom(n, "proxy");
            boolean m = Boolean.TRUE.equals(mm);
            return (p ? "proxy" : "random") + (m ? "-mm" : "");
        }

        private static Boolean enabled(JsonNode n, String stage) {
            JsonNode s = n.get(stage);
            if (s == null) {
                JsonNode stages = n.get("stages");
                s = stages == null ? null : stages.get(stage);
            }
            if (s == null) {
                return null;
            }
            if (s.isBoolean()) {
                return s.asBoolean();
            }
            JsonNode e = s.get("enabled");
            return e != null && e.isBoolean() ? e.asBoolean() : null;
        }

        private static boolean initFrom(JsonNode n, String stage) {
            JsonNode from = n.get("initCheckpoint");
            return from != null && from.isTextual() && from.asText().contains(stage);
        }

        private static String armFromName(Path dir) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            for (String arm : new String[] {"proxy-mm", "random-mm", "proxy", "random"}) {
                if (name.equals(arm) || name.endsWith("-" + arm) || name.startsWith(arm + "-")) {
                    return arm;
                }
            }
            return null;
        }
    }
}
