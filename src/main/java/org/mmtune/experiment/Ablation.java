package org.mmtune.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;
import org.mmtune.util.AtomicFiles;

/**
 * The paper's comparison, over several seeds. For each seed the arms run in
 * {@code <runsDir>/s<seed>/<arm>/}, all with the same fine-tuning budget on the same labelled images:
 * <ul>
 *   <li>{@code proxy}: colorization on every training image, then fine-tuning;</li>
 *   <li>{@code proxy-mm}: M&amp;M tuning (class-wise connected graph) from that seed's proxy checkpoint,
 *       then fine-tuning;</li>
 *   <li>{@code proxy-mm-random}: the same with random triplets ({@code mm.strategy} random), the paper's
 *       graph-versus-random comparison;</li>
 *   <li>{@code random}: fine-tuning from random initialisation;</li>
 *   <li>optionally {@code random-mm}: M&amp;M tuning from random initialisation, then fine-tuning.</li>
 * </ul>
 * Within a seed the arms are paired: each layer an arm does not inherit starts from the same weights
 * ({@link org.mmtune.nn.SeededInit}) and fine-tuning draws its crops in the same order (seeded by the run
 * seed). The statistics compare arms by their per-seed differences with a Student-t 95% interval.
 * A base config with the proxy stage disabled and an {@code initCheckpoint} (e.g. a colorization network
 * imported with {@code mmtune weights import}) uses that checkpoint as every seed's proxy: the proxy arm then
 * only fine-tunes from it. A finished run is not run again; an interrupted one is resumed.
 */
public final class Ablation {

    public static final String PROXY = "proxy";
    public static final String PROXY_MM = "proxy-mm";
    public static final String PROXY_MM_RANDOM = "proxy-mm-random";
    public static final String RANDOM = "random";
    public static final String RANDOM_MM = "random-mm";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One run's outcome; {@code probes} holds the numeric fields of {@code results.json}'s {@code probes}
     * object, by stage (e.g. initial, proxy, mm) and field (e.g. knnAccuracy).
     */
    public record Row(String arm, long seed, boolean proxy, boolean mm, String strategy, int finetuneIterations,
                      String state, double mIoU, double pixelAccuracy, double minutes, Path runDir,
                      Map<String, Map<String, Double>> probes) {
    }

    /** The rows of every run so far, and why the ablation stopped early (null when every run finished). */
    public record Result(List<Row> rows, String stopped) {
    }

    /** Runs one arm (a config into a folder, resuming when asked) and returns its outcome. */
    @FunctionalInterface
    public interface ArmRunner {
        RunOutcome run(String arm, ExperimentConfig cfg, Path runDir, boolean resume) throws Exception;
    }

    /** Values of one metric over seeds: mean and sample standard deviation (null below two seeds). */
    public record Stat(List<Long> seeds, List<Double> values, Double mean, Double std) {
    }

    /**
     * A paired comparison: {@code a − b} per seed where both finished, its mean, sample standard deviation
     * and Student-t 95% interval (null below two seeds: the interval is undefined).
     */
    public record Comparison(String a, String b, List<Long> pairedSeeds, List<Double> diffs, Double meanDiff,
                             Double stdDiff, double[] ci95) {
    }

    /**
     * The probe fields that are scores (the others in {@code results.json} record the probe's settings, the
     * same in every run, and would only clutter the tables).
     */
    static final Set<String> PROBE_SCORES = Set.of("knnAccuracy", "knnMeanClassAccuracy", "linearProbeMIoU",
            "linearProbePixelAccuracy");

    private Ablation() {
    }

    /**
     * The seeds of {@code spec}: a count N gives {@code base, base+1, …, base+N-1}; a comma-separated list
     * ({@code 1,2,3}, or {@code 7,} for the single seed 7) gives exactly those seeds.
     */
    public static List<Long> parseSeeds(String spec, long base) {
        if (spec == null || spec.isBlank()) {
            return List.of(base);
        }
        String s = spec.trim();
        try {
            if (s.contains(",")) {
                Set<Long> out = new LinkedHashSet<>();
                for (String part : s.split(",")) {
                    if (!part.isBlank()) {
                        if (!out.add(Long.parseLong(part.trim()))) {
                            throw new IllegalArgumentException("--seeds: seed " + part.trim() + " is listed twice");
                        }
                    }
                }
                if (out.isEmpty()) {
                    throw new IllegalArgumentException("--seeds: '" + spec + "' lists no seed");
                }
                return List.copyOf(out);
            }
            int n = Integer.parseInt(s);
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("--seeds: " + n + " seeds; give a count in 1..1000 or a list such as 1,2,3");
            }
            List<Long> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(base + i);
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds: '" + spec + "' is not a count or a list of seeds such as 1,2,3");
        }
    }

    /** The run folder of {@code arm} under seed {@code seed}. */
    public static Path runDir(Path runsDir, long seed, String arm) {
        return runsDir.resolve("s" + seed).resolve(arm);
    }

    /** The arms' configs for seed {@code seed}, in the order they must run (proxy first: others start from it). */
    public static List<ExperimentConfig> arms(ExperimentConfig base, Path runsDir, long seed, boolean withRandomMm) {
        List<ExperimentConfig> out = new ArrayList<>();
        boolean pretrained = base.initCheckpoint != null && !base.initCheckpoint.isBlank() && !base.proxy.enabled;
        Path proxyParams = pretrained ? Path.of(base.initCheckpoint)
                : Checkpoints.paramsFile(RunFiles.checkpoints(runDir(runsDir, seed, PROXY)), Stage.PROXY);
        out.add(arm(base, seed, PROXY, !pretrained, false, null, pretrained ? proxyParams : null));
        out.add(arm(base, seed, PROXY_MM, false, true, "classwise", proxyParams));
        out.add(arm(base, seed, PROXY_MM_RANDOM, false, true, "random", proxyParams));
        out.add(arm(base, seed, RANDOM, false, false, null, null));
        if (withRandomMm) {
            out.add(arm(base, seed, RANDOM_MM, false, true, "classwise", null));
        }
        return out;
    }

    private static ExperimentConfig arm(ExperimentConfig base, long seed, String name, boolean proxy, boolean mm,
                                        String strategy, Path init) {
        ExperimentConfig c = ExperimentConfigs.copy(base);
        c.arm = name;
        c.seed = seed;
        c.name = base.name + "-" + name + "-s" + seed;
        c.proxy.enabled = proxy;
        c.mm.enabled = mm;
        if (strategy != null) {
            c.mm.strategy = strategy;
        }
        c.initCheckpoint = init == null ? null : init.toAbsolutePath().toString();
        c.finetune.enabled = true;
        c.eval.enabled = true;
        return c;
    }

    /**
     * Runs (or resumes, or skips when finished) every arm of every seed, seed by seed; stops at the first run
     * that does not finish (cancelled or failed) and says so in {@link Result#stopped()}.
     */
    public static Result run(ExperimentConfig base, Path runsDir, List<Long> seeds, boolean withRandomMm,
                             ArmRunner runner) throws Exception {
        Files.createDirectories(runsDir);
        List<Row> rows = new ArrayList<>();
        for (long seed : seeds) {
            for (ExperimentConfig arm : arms(base, runsDir, seed, withRandomMm)) {
                Path dir = runDir(runsDir, seed, arm.arm);
                String where = "s" + seed + "/" + arm.arm;
                boolean exists = Files.exists(RunFiles.config(dir));
                if (exists) {
                    String diff = configDifference(RunFiles.config(dir), arm);
                    if (diff != null) {
                        return new Result(rows, where + ": its config.json differs from this ablation's (" + diff
                                + "); use another --runs-dir or delete " + dir);
                    }
                }
                if (!"finished".equals(state(dir))) {
                    RunOutcome out = runner.run(arm.arm, arm, dir, exists);
                    if (!out.finished()) {
                        rows.add(row(arm, dir));
                        return new Result(rows, where + " " + out.state() + ": " + out.message());
                    }
                }
                rows.add(row(arm, dir));
            }
        }
        return new Result(rows, null);
    }

    /**
     * The first key where the run's saved config differs from {@code cfg} ("key: saved vs wanted"), ignoring
     * {@code device} (a command-line override); null when they agree or the file is unreadable (the run
     * itself then reports it).
     */
    static String configDifference(Path configFile, ExperimentConfig cfg) {
        JsonNode saved;
        JsonNode wanted;
        try {
            saved = JSON.readTree(configFile.toFile());
            // through the same JSON text as the saved file, so that float keys compare as written
            wanted = JSON.readTree(ExperimentConfigs.toJson(cfg));
        } catch (IOException e) {
            return null;
        }
        return difference("", saved, wanted);
    }

    private static String difference(String prefix, JsonNode saved, JsonNode wanted) {
        if (saved.isObject() && wanted.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            wanted.fieldNames().forEachRemaining(keys::add);
            saved.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String key = prefix.isEmpty() ? k : prefix + "." + k;
                if (key.equals("device")) {
                    continue;
                }
                JsonNode s = saved.get(k);
                JsonNode w = wanted.get(k);
                if (s == null || w == null) {
                    // a key that an older or newer version does not write: compare only when both have it
                    continue;
                }
                String d = difference(key, s, w);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (saved.isNumber() && wanted.isNumber()) {
            return saved.asDouble() == wanted.asDouble() ? null : prefix + ": " + saved + " vs " + wanted;
        }
        return saved.equals(wanted) ? null : prefix + ": " + saved + " vs " + wanted;
    }

    private static String state(Path dir) {
        try {
            JsonNode n = JSON.readTree(RunFiles.status(dir).toFile());
            return n.path("state").asText();
        } catch (IOException e) {
            return "";
        }
    }

    /** The row of a run folder (whatever its state). */
    static Row row(ExperimentConfig arm, Path dir) throws IOException {
        double miou = Double.NaN;
        double acc = Double.NaN;
        Map<String, Map<String, Double>> probes = new TreeMap<>();
        if (Files.isRegularFile(RunFiles.results(dir))) {
            JsonNode r = JSON.readTree(RunFiles.results(dir).toFile());
            miou = r.path("mIoU").asDouble(Double.NaN);
            acc = r.path("pixelAccuracy").asDouble(Double.NaN);
            JsonNode p = r.path("probes");
            if (p.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> stage = it.next();
                    if (!stage.getValue().isObject()) {
                        continue;
                    }
                    Map<String, Double> fields = new TreeMap<>();
                    stage.getValue().fields().forEachRemaining(f -> {
                        if (f.getValue().isNumber() && PROBE_SCORES.contains(f.getKey())) {
                            fields.put(f.getKey(), f.getValue().asDouble());
                        }
                    });
                    if (!fields.isEmpty()) {
                        probes.put(stage.getKey(), fields);
                    }
                }
            }
        }
        double minutes = Double.NaN;
        String st = "";
        if (Files.isRegularFile(RunFiles.status(dir))) {
            JsonNode s = JSON.readTree(RunFiles.status(dir).toFile());
            st = s.path("state").asText();
            minutes = (s.path("updatedAt").asDouble() - s.path("startedAt").asDouble()) / 60.0;
        }
        boolean fromProxy = arm.proxy.enabled || arm.arm.startsWith(PROXY);
        return new Row(arm.arm, arm.seed, fromProxy, arm.mm.enabled, arm.mm.enabled ? arm.mm.strategy : null,
                arm.finetune.iterations, st, miou, acc, minutes, dir, probes);
    }

    // ---------------------------------------------------------------- statistics

    /** Mean and sample standard deviation of {@code values} (std null below two values, mean null when empty). */
    public static Stat stat(List<Long> seeds, List<Double> values) {
        int n = values.size();
        Double mean = null;
        Double std = null;
        if (n > 0) {
            double m = values.stream().mapToDouble(Double::doubleValue).sum() / n;
            mean = m;
            if (n > 1) {
                double ss = 0;
                for (double v : values) {
                    ss += (v - m) * (v - m);
                }
                std = Math.sqrt(ss / (n - 1));
            }
        }
        return new Stat(List.copyOf(seeds), List.copyOf(values), mean, std);
    }

    /**
     * The Student-t 95% interval of the mean of {@code diffs}: mean ± t(0.975, n−1)·s/√n; null for fewer
     * than two values (undefined).
     */
    public static double[] ci95(List<Double> diffs) {
        Stat s = stat(List.of(), diffs);
        if (s.std() == null) {
            return null;
        }
        int n = diffs.size();
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        double half = t * s.std() / Math.sqrt(n);
        return new double[] {s.mean() - half, s.mean() + half};
    }

    /** The finished runs' mIoU of {@code arm} by seed. */
    static Map<Long, Double> mIoUBySeed(List<Row> rows, String arm) {
        Map<Long, Double> out = new TreeMap<>();
        for (Row r : rows) {
            if (r.arm().equals(arm) && "finished".equals(r.state()) && !Double.isNaN(r.mIoU())) {
                out.put(r.seed(), r.mIoU());
            }
        }
        return out;
    }

    /** The paired comparison a − b over the seeds where both finished. */
    public static Comparison compare(List<Row> rows, String a, String b) {
        Map<Long, Double> va = mIoUBySeed(rows, a);
        Map<Long, Double> vb = mIoUBySeed(rows, b);
        List<Long> seeds = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        for (Map.Entry<Long, Double> e : va.entrySet()) {
            Double other = vb.get(e.getKey());
            if (other != null) {
                seeds.add(e.getKey());
                diffs.add(e.getValue() - other);
            }
        }
        Stat s = stat(seeds, diffs);
        return new Comparison(a, b, seeds, diffs, s.mean(), s.std(), ci95(diffs));
    }

    /** The comparisons the ablation reports, for the arms present in {@code rows}. */
    public static List<Comparison> comparisons(List<Row> rows) {
        Set<String> arms = armsOf(rows);
        List<Comparison> out = new ArrayList<>();
        String[][] pairs = {{PROXY_MM, PROXY}, {PROXY_MM, PROXY_MM_RANDOM}, {PROXY, RANDOM}, {RANDOM_MM, RANDOM}};
        for (String[] p : pairs) {
            if (arms.contains(p[0]) && arms.contains(p[1])) {
                out.add(compare(rows, p[0], p[1]));
            }
        }
        return out;
    }

    private static Set<String> armsOf(List<Row> rows) {
        Set<String> arms = new LinkedHashSet<>();
        for (String a : List.of(RANDOM, PROXY, PROXY_MM, PROXY_MM_RANDOM, RANDOM_MM)) {
            if (rows.stream().anyMatch(r -> r.arm().equals(a))) {
                arms.add(a);
            }
        }
        rows.forEach(r -> arms.add(r.arm()));
        return arms;
    }

    private static List<Long> seedsOf(List<Row> rows) {
        return rows.stream().map(Row::seed).distinct().sorted().toList();
    }

    /** Per arm: stage → field → the probe's values over the finished seeds that report it. */
    static Map<String, Map<String, Stat>> probeStats(List<Row> rows, String arm) {
        Map<String, Map<String, List<Long>>> seeds = new TreeMap<>();
        Map<String, Map<String, List<Double>>> values = new TreeMap<>();
        for (Row r : rows) {
            if (!r.arm().equals(arm) || !"finished".equals(r.state())) {
                continue;
            }
            r.probes().forEach((stage, fields) -> fields.forEach((field, v) -> {
                seeds.computeIfAbsent(stage, k -> new TreeMap<>()).computeIfAbsent(field, k -> new ArrayList<>())
                        .add(r.seed());
                values.computeIfAbsent(stage, k -> new TreeMap<>()).computeIfAbsent(field, k -> new ArrayList<>())
                        .add(v);
            }));
        }
        Map<String, Map<String, Stat>> out = new TreeMap<>();
        values.forEach((stage, fields) -> fields.forEach((field, v) -> out.computeIfAbsent(stage, k -> new TreeMap<>())
                .put(field, stat(seeds.get(stage).get(field), v))));
        return out;
    }

    // ---------------------------------------------------------------- reports

    /** {@code ablation.json}: the arms' mIoU per seed with mean/std (and probes), and the paired comparisons. */
    public static String json(List<Row> rows, ExperimentConfig base) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode seedList = root.putArray("seeds");
        seedsOf(rows).forEach(seedList::add);
        if (base != null) {
            ObjectNode lab = root.putObject("labelled");
            lab.put("labelledFraction", base.labelledFraction);
            lab.put("labelledImages", base.labelledImages);
            lab.put("labelledSeed", base.labelledSeed);
            root.put("finetuneIterations", base.finetune.iterations);
        }
        ObjectNode arms = root.putObject("arms");
        for (String arm : armsOf(rows)) {
            Map<Long, Double> v = mIoUBySeed(rows, arm);
            Stat s = stat(new ArrayList<>(v.keySet()), new ArrayList<>(v.values()));
            ObjectNode a = arms.putObject(arm);
            Row any = rows.stream().filter(r -> r.arm().equals(arm)).findFirst().orElseThrow();
            a.put("proxy", any.proxy());
            a.put("mm", any.mm());
            if (any.strategy() != null) {
                a.put("strategy", any.strategy());
            }
            a.put("finetuneIterations", any.finetuneIterations());
            putStat(a, s, "mIoU");
            ArrayNode states = a.putArray("runs");
            for (Row r : rows) {
                if (r.arm().equals(arm)) {
                    ObjectNode o = states.addObject();
                    o.put("seed", r.seed());
                    o.put("state", r.state());
                    putNumber(o, "mIoU", r.mIoU());
                    putNumber(o, "pixelAccuracy", r.pixelAccuracy());
                    putNumber(o, "minutes", r.minutes());
                }
            }
            Map<String, Map<String, Stat>> probes = probeStats(rows, arm);
            if (!probes.isEmpty()) {
                ObjectNode p = a.putObject("probes");
                probes.forEach((stage, fields) -> {
                    ObjectNode st = p.putObject(stage);
                    fields.forEach((field, ps) -> putStat(st.putObject(field), ps, "values"));
                });
            }
        }
        ArrayNode comps = root.putArray("comparisons");
        for (Comparison c : comparisons(rows)) {
            ObjectNode o = comps.addObject();
            o.put("a", c.a());
            o.put("b", c.b());
            o.put("metric", "mIoU");
            ArrayNode ps = o.putArray("pairedSeeds");
            c.pairedSeeds().forEach(ps::add);
            ArrayNode d = o.putArray("diffs");
            c.diffs().forEach(d::add);
            putNumber(o, "meanDiff", c.meanDiff());
            putNumber(o, "stdDiff", c.stdDiff());
            if (c.ci95() == null) {
                o.putNull("ci95");
                o.put("note", c.pairedSeeds().isEmpty() ? "no seed where both arms finished"
                        : "one paired seed: the interval is undefined");
            } else {
                o.putArray("ci95").add(c.ci95()[0]).add(c.ci95()[1]);
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putStat(ObjectNode o, Stat s, String valuesKey) {
        ArrayNode seeds = o.putArray("seeds");
        s.seeds().forEach(seeds::add);
        ArrayNode vals = o.putArray(valuesKey);
        s.values().forEach(vals::add);
        putNumber(o, "mean", s.mean());
        putNumber(o, "std", s.std());
    }

    private static void putNumber(ObjectNode o, String key, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    public static String markdown(List<Row> rows, String title, ExperimentConfig base) {
        StringBuilder sb = new StringBuilder();
        if (title != null) {
            sb.append(title).append("\n\n");
        }
        List<Long> seeds = seedsOf(rows);
        Set<String> arms = armsOf(rows);
        sb.append("Seeds: ").append(seeds.stream().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse("none"));
        if (base != null) {
            sb.append(". Labelled training images: ").append(labelledWords(base)).append(". Fine-tuning: ")
                    .append(base.finetune.iterations).append(" iterations in every arm");
        }
        sb.append(".\n\n");
        sb.append("Validation mIoU per seed:\n\n| seed |");
        arms.forEach(a -> sb.append(' ').append(a).append(" |"));
        sb.append("\n|---|");
        arms.forEach(a -> sb.append("---|"));
        sb.append('\n');
        for (long seed : seeds) {
            sb.append("| ").append(seed).append(" |");
            for (String a : arms) {
                Row r = rows.stream().filter(x -> x.arm().equals(a) && x.seed() == seed).findFirst().orElse(null);
                String cell = r == null ? "–" : "finished".equals(r.state()) ? pct(r.mIoU())
                        : (r.state().isEmpty() ? "not run" : r.state());
                sb.append(' ').append(cell).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nArms (mean ± sample standard deviation over seeds):\n\n");
        sb.append("| arm | proxy (colorization) | M&M tuning | fine-tune iterations | seeds | val mIoU (± std in points) |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (String a : arms) {
            Row any = rows.stream().filter(r -> r.arm().equals(a)).findFirst().orElseThrow();
            Map<Long, Double> v = mIoUBySeed(rows, a);
            Stat s = stat(new ArrayList<>(v.keySet()), new ArrayList<>(v.values()));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %s |%n", a, any.proxy() ? "yes" : "no",
                    any.mm() ? "yes (" + any.strategy() + " graph)" : "no", any.finetuneIterations(),
                    s.values().size(), meanStd(s, true)));
        }
        List<Comparison> comps = comparisons(rows);
        if (!comps.isEmpty()) {
            sb.append("\nPaired comparisons (difference a − b of val mIoU per seed, in points; Student-t 95% interval"
                    + " over seeds):\n\n");
            sb.append("| a − b | paired seeds | mean difference | 95% interval | reading |\n|---|---|---|---|---|\n");
            for (Comparison c : comps) {
                sb.append(String.format(Locale.ROOT, "| %s − %s | %d | %s | %s | %s |%n", c.a(), c.b(),
                        c.pairedSeeds().size(), c.meanDiff() == null ? "–" : points(c.meanDiff()),
                        c.ci95() == null ? "undefined (needs 2+ seeds)"
                                : "[" + points(c.ci95()[0]) + ", " + points(c.ci95()[1]) + "]",
                        reading(c)));
            }
        }
        StringBuilder probes = new StringBuilder();
        for (String a : arms) {
            probeStats(rows, a).forEach((stage, fields) -> fields.forEach((field, s) ->
                    probes.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s |%n", a, stage, field,
                            s.values().size(), meanStd(s, false)))));
        }
        if (probes.length() > 0) {
            sb.append("\nProbes of the backbone (from each run's results.json, mean ± std over seeds):\n\n");
            sb.append("| arm | after stage | probe | seeds | value |\n|---|---|---|---|---|\n").append(probes);
        }
        return sb.toString();
    }

    private static String labelledWords(ExperimentConfig base) {
        if (base.labelledImages > 0) {
            return base.labelledImages + " (labelledImages, labelledSeed " + base.labelledSeed + ")";
        }
        if (base.labelledFraction < 1) {
            return String.format(Locale.ROOT, "%.0f%% (labelledFraction %s, labelledSeed %d)",
                    100 * base.labelledFraction, base.labelledFraction, base.labelledSeed);
        }
        return "all";
    }

    private static String reading(Comparison c) {
        if (c.pairedSeeds().isEmpty()) {
            return "no paired seed";
        }
        if (c.ci95() == null) {
            return "one seed: no interval";
        }
        if (c.ci95()[0] > 0) {
            return c.a() + " better (interval above 0)";
        }
        if (c.ci95()[1] < 0) {
            return c.b() + " better (interval below 0)";
        }
        return "no clear difference (interval contains 0)";
    }

    private static String meanStd(Stat s, boolean percent) {
        if (s.mean() == null) {
            return "–";
        }
        String m = percent ? pct(s.mean()) : String.format(Locale.ROOT, "%.4f", s.mean());
        if (s.std() == null) {
            return m + " (one seed)";
        }
        return m + " ± " + (percent ? String.format(Locale.ROOT, "%.1f", 100 * s.std())
                : String.format(Locale.ROOT, "%.4f", s.std()));
    }

    private static String points(double v) {
        return String.format(Locale.ROOT, "%+.2f", 100 * v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /**
     * {@code ablation.csv}, one table: {@code run} rows (per seed and arm, metric mIoU / pixelAccuracy /
     * probe.STAGE.FIELD), {@code arm} rows (mean and std of mIoU) and {@code comparison} rows (a − b, paired
     * seeds, mean difference, 95% interval).
     */
    public static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("row,arm,vs,seed,state,metric,value,n,mean,std,ci95Low,ci95High\n");
        for (Row r : rows) {
            sb.append(csvLine("run", r.arm(), "", String.valueOf(r.seed()), r.state(), "mIoU", r.mIoU(), null,
                    null, null, null));
            sb.append(csvLine("run", r.arm(), "", String.valueOf(r.seed()), r.state(), "pixelAccuracy",
                    r.pixelAccuracy(), null, null, null, null));
            sb.append(csvLine("run", r.arm(), "", String.valueOf(r.seed()), r.state(), "minutes", r.minutes(), null,
                    null, null, null));
            r.probes().forEach((stage, fields) -> fields.forEach((field, v) -> sb.append(csvLine("run", r.arm(), "",
                    String.valueOf(r.seed()), r.state(), "probe." + stage + "." + field, v, null, null, null, null))));
        }
        for (String a : armsOf(rows)) {
            Map<Long, Double> v = mIoUBySeed(rows, a);
            Stat s = stat(new ArrayList<>(v.keySet()), new ArrayList<>(v.values()));
            sb.append(csvLine("arm", a, "", "", "", "mIoU", null, s.values().size(), s.mean(), s.std(), null));
            probeStats(rows, a).forEach((stage, fields) -> fields.forEach((field, ps) -> sb.append(csvLine("arm", a,
                    "", "", "", "probe." + stage + "." + field, null, ps.values().size(), ps.mean(), ps.std(), null))));
        }
        for (Comparison c : comparisons(rows)) {
            sb.append(csvLine("comparison", c.a(), c.b(), "", "", "mIoU difference", null, c.pairedSeeds().size(),
                    c.meanDiff(), c.stdDiff(), c.ci95()));
        }
        return sb.toString();
    }

    private static String csvLine(String kind, String arm, String vs, String seed, String state, String metric,
                                  Double value, Integer n, Double mean, Double std, double[] ci) {
        return String.join(",", kind, arm, vs, seed, state, metric, num(value), n == null ? "" : n.toString(),
                num(mean), num(std), ci == null ? "" : num(ci[0]), ci == null ? "" : num(ci[1])) + "\n";
    }

    private static String num(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** Writes {@code ablation.json}, {@code ablation.md} and {@code ablation.csv} into {@code runsDir}, each atomically. */
    public static void write(Path runsDir, List<Row> rows, String title, ExperimentConfig base) throws IOException {
        AtomicFiles.writeString(runsDir.resolve(RunFiles.ABLATION_JSON), json(rows, base));
        AtomicFiles.writeString(runsDir.resolve(RunFiles.ABLATION_MD), markdown(rows, title, base));
        AtomicFiles.writeString(runsDir.resolve(RunFiles.ABLATION_CSV), csv(rows));
    }
}
