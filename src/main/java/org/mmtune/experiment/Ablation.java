package org.mmtune.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;
import org.mmtune.util.AtomicFiles;

/**
 * The paper's comparison: the same experiment in several arms, each in its own run folder under one
 * runs folder, with the same fine-tuning budget: {@code proxy} (colorization, then fine-tuning),
 * {@code proxy-mm} (M&amp;M tuning starting from the proxy run's checkpoint, then fine-tuning),
 * {@code random} (fine-tuning from random init) and optionally {@code random-mm}. The proxy is trained
 * once and shared; a base config with the proxy stage disabled and an {@code initCheckpoint} (e.g. an
 * imported colorization network, {@code mmtune weights import}) uses that checkpoint as the proxy instead. A finished arm is not run again; an interrupted one is resumed.
 */
public final class Ablation {

    /** One arm's outcome. */
    public record Row(String arm, boolean proxy, boolean mm, int finetuneIterations, String state, double mIoU,
                      double pixelAccuracy, double minutes, Path runDir) {
    }

    /** Runs one arm (a config into a folder, resuming when asked) and returns its outcome. */
    @FunctionalInterface
    public interface ArmRunner {
        RunOutcome run(String arm, ExperimentConfig cfg, Path runDir, boolean resume) throws Exception;
    }

    private Ablation() {
    }

    /** The configs of the arms, in the order they must run. */
    public static List<ExperimentConfig> arms(ExperimentConfig base, Path runsDir, boolean withRandomMm) {
        List<ExperimentConfig> out = new ArrayList<>();
        boolean pretrained = base.initCheckpoint != null && !base.initCheckpoint.isBlank() && !base.proxy.enabled;
        ExperimentConfig proxy = ExperimentConfigs.copy(base);
        proxy.arm = "proxy";
        proxy.name = base.name + "-proxy";
        proxy.proxy.enabled = !pretrained;
        proxy.mm.enabled = false;
        out.add(proxy);
        Path proxyParams = pretrained ? Path.of(base.initCheckpoint)
                : Checkpoints.paramsFile(runsDir.resolve("proxy").resolve("checkpoints"), Stage.PROXY);
        ExperimentConfig pmm = ExperimentConfigs.copy(base);
        pmm.arm = "proxy-mm";
        pmm.name = base.name + "-proxy-mm";
        pmm.proxy.enabled = false;
        pmm.mm.enabled = true;
        pmm.initCheckpoint = proxyParams.toAbsolutePath().toString();
        out.add(pmm);
        ExperimentConfig random = ExperimentConfigs.copy(base);
        random.arm = "random";
        random.name = base.name + "-random";
        random.proxy.enabled = false;
        random.mm.enabled = false;
        random.initCheckpoint = null;
        out.add(random);
        if (withRandomMm) {
            ExperimentConfig rmm = ExperimentConfigs.copy(base);
            rmm.arm = "random-mm";
            rmm.name = base.name + "-random-mm";
            rmm.proxy.enabled = false;
            rmm.mm.enabled = true;
            rmm.initCheckpoint = null;
            out.add(rmm);
        }
        return out;
    }

    /** Runs (or resumes, or skips when finished) every arm; stops at the first arm that does not finish. */
    public static List<Row> run(ExperimentConfig base, Path runsDir, boolean withRandomMm, ArmRunner runner)
            throws Exception {
        Files.createDirectories(runsDir);
        List<Row> rows = new ArrayList<>();
        for (ExperimentConfig arm : arms(base, runsDir, withRandomMm)) {
            Path dir = runsDir.resolve(arm.arm);
            String state = state(dir);
            if (!"finished".equals(state)) {
                boolean resume = Files.exists(dir.resolve("config.json"));
                long t0 = System.nanoTime();
                RunOutcome out = runner.run(arm.arm, arm, dir, resume);
                if (!out.finished()) {
                    rows.add(row(arm, dir));
                    throw new IOException("arm " + arm.arm + " " + out.state() + ": " + out.message());
                }
            }
            rows.add(row(arm, dir));
        }
        return rows;
    }

    private static String state(Path dir) {
        try {
            JsonNode n = new ObjectMapper().readTree(dir.resolve("status.json").toFile());
            return n.path("state").asText();
        } catch (IOException e) {
            return "";
        }
    }

    static Row row(ExperimentConfig arm, Path dir) throws IOException {
        ObjectMapper m = new ObjectMapper();
        double miou = Double.NaN;
        double acc = Double.NaN;
        if (Files.isRegularFile(dir.resolve("results.json"))) {
            JsonNode r = m.readTree(dir.resolve("results.json").toFile());
            miou = r.path("mIoU").asDouble(Double.NaN);
            acc = r.path("pixelAccuracy").asDouble(Double.NaN);
        }
        double minutes = Double.NaN;
        String st = "";
        if (Files.isRegularFile(dir.resolve("status.json"))) {
            JsonNode s = m.readTree(dir.resolve("status.json").toFile());
            st = s.path("state").asText();
            minutes = (s.path("updatedAt").asDouble() - s.path("startedAt").asDouble()) / 60.0;
        }
        boolean fromProxy = arm.proxy.enabled || arm.arm.startsWith("proxy");
        return new Row(arm.arm, fromProxy, arm.mm.enabled, arm.finetune.iterations, st, miou, acc, minutes, dir);
    }

    public static String markdown(List<Row> rows, String title) {
        StringBuilder sb = new StringBuilder();
        if (title != null) {
            sb.append(title).append("\n\n");
        }
        sb.append("| arm | proxy (colorization) | M&M tuning | fine-tune iterations | val mIoU | val pixel acc. | minutes |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s |%n", r.arm(), r.proxy() ? "yes" : "no",
                    r.mm() ? "yes" : "no", r.finetuneIterations(), pct(r.mIoU()), pct(r.pixelAccuracy()),
                    Double.isNaN(r.minutes()) ? "–" : String.format(Locale.ROOT, "%.1f", r.minutes())));
        }
        return sb.toString();
    }

    public static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("arm,proxy,mm,finetuneIterations,state,mIoU,pixelAccuracy,minutes\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%b,%b,%d,%s,%.4f,%.4f,%.2f%n", r.arm(), r.proxy(), r.mm(),
                    r.finetuneIterations(), r.state(), r.mIoU(), r.pixelAccuracy(), r.minutes()));
        }
        return sb.toString();
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    public static void write(Path runsDir, List<Row> rows, String title) throws IOException {
        AtomicFiles.writeString(runsDir.resolve("ablation.md"), markdown(rows, title));
        AtomicFiles.writeString(runsDir.resolve("ablation.csv"), csv(rows));
    }
}
