package org.mmtune.experiment.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An ablation folder's {@code ablation.json} as the workbench shows it: each arm's validation mIoU per seed
 * with mean and standard deviation, the paired differences between arms with their 95% intervals, and the
 * feature probes each run recorded in its {@code results.json}. The runs live in {@code s<seed>/<arm>/}.
 *
 * @param dir         the ablation folder
 * @param arms        the arms in the file's order
 * @param comparisons the paired differences in the file's order
 */
public record AblationSummary(Path dir, List<Arm> arms, List<Comparison> comparisons) {

    public static final String FILE = RunFiles.ABLATION_JSON;

    /** One run of an arm: its seed, mIoU (NaN while unfinished), folder and the probes of its backbone. */
    public record SeedRun(long seed, double mIoU, Path dir, Map<String, Double> probes) {
    }

    /** One arm over the seeds. */
    public record Arm(String name, List<SeedRun> runs, double mean, double std) {

        /** The mean of a probe over the seeds that have it. */
        public OptionalDouble probeMean(String key) {
            return runs.stream().map(r -> r.probes().get(key)).filter(v -> v != null && Double.isFinite(v))
                    .mapToDouble(Double::doubleValue).average();
        }
    }

    /**
     * {@code a − b} over the seeds both arms finished.
     *
     * @param ci95 the 95% t-interval of the mean difference; null when it is undefined (fewer than two seeds)
     */
    public record Comparison(String a, String b, List<Long> pairedSeeds, double meanDiff, double[] ci95) {

        /** "above 0", "below 0", "includes 0" or "undefined". */
        public String verdict() {
            if (ci95 == null) {
                return "undefined";
            }
            return ci95[0] > 0 ? "above 0" : ci95[1] < 0 ? "below 0" : "includes 0";
        }
    }

    /** True when {@code dir} holds an {@code ablation.json}. */
    public static boolean isAblationFolder(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * The probe keys shown for an arm's backbone, as {@code results.json} names them: the probes of the last
     * checkpoint before fine-tuning (M&amp;M, else proxy, else the initial weights).
     */
    public static final List<String> PROBE_KEYS = List.of("knnAccuracy", "linearProbeMIoU");

    /** Reads {@code <dir>/ablation.json}; empty when there is none. */
    public static Optional<AblationSummary> read(Path dir) throws RunFolderException {
        Path file = dir.resolve(FILE);
        JsonNode n;
        try {
            n = RunJson.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RunFolderException(RunJson.problem(file, e), e);
        }
        JsonNode armsNode = n == null ? null : n.get("arms");
        if (armsNode == null || !armsNode.isObject()) {
            throw new RunFolderException(file + ": key \"arms\" missing or not an object");
        }
        List<Arm> arms = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = armsNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            arms.add(arm(dir, file, e.getKey(), e.getValue()));
        }
        List<Comparison> comparisons = new ArrayList<>();
        JsonNode cs = n.get("comparisons");
        if (cs != null && cs.isArray()) {
            int i = 0;
            for (JsonNode c : cs) {
                String a = RunJson.text(c, "a");
                String b = RunJson.text(c, "b");
                if (a == null || b == null) {
                    throw new RunFolderException(file + ": comparisons[" + i + "] has no \"a\" or \"b\"");
                }
                List<Long> paired = new ArrayList<>();
                JsonNode ps = c.get("pairedSeeds");
                if (ps != null && ps.isArray()) {
                    ps.forEach(x -> paired.add(x.asLong()));
                } else if (ps != null && ps.isNumber()) {
                    // a count only: the seeds are not named
                    for (int k = 0; k < ps.asInt(); k++) {
                        paired.add(-1L);
                    }
                }
                Double diff = RunJson.number(c, "meanDiff");
                double[] ci = null;
                JsonNode ciNode = c.get("ci95");
                if (ciNode != null && ciNode.isArray() && ciNode.size() == 2 && ciNode.get(0).isNumber()
                        && ciNode.get(1).isNumber()) {
                    ci = new double[] {ciNode.get(0).asDouble(), ciNode.get(1).asDouble()};
                }
                comparisons.add(new Comparison(a, b, List.copyOf(paired), diff == null ? Double.NaN : diff, ci));
                i++;
            }
        }
        return Optional.of(new AblationSummary(dir, List.copyOf(arms), List.copyOf(comparisons)));
    }

    private static Arm arm(Path dir, Path file, String name, JsonNode a) throws RunFolderException {
        JsonNode seeds = a.get("seeds");
        JsonNode miou = a.get("mIoU");
        if (seeds == null || !seeds.isArray() || miou == null || !miou.isArray() || seeds.size() != miou.size()) {
            throw new RunFolderException(file + ": arms." + name + ": \"seeds\" and \"mIoU\" must be arrays of one length");
        }
        List<SeedRun> runs = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            long seed = seeds.get(i).asLong();
            JsonNode m = miou.get(i);
            double v = m != null && m.isNumber() ? m.asDouble() : Double.NaN;
            Path runDir = dir.resolve("s" + seed).resolve(name);
            runs.add(new SeedRun(seed, v, runDir, probes(runDir)));
        }
        Double mean = RunJson.number(a, "mean");
        Double std = RunJson.number(a, "std");
        return new Arm(name, List.copyOf(runs), mean == null ? Double.NaN : mean, std == null ? Double.NaN : std);
    }

    /** The probes of a run's backbone before fine-tuning, from its results.json; empty when it has none. */
    static Map<String, Double> probes(Path runDir) {
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            JsonNode p = RunJson.MAPPER.readTree(Files.readString(RunFiles.results(runDir))).get("probes");
            if (p == null || !p.isObject()) {
                return out;
            }
            JsonNode last = null;
            for (String stage : List.of("initial", "proxy", "mm")) {
                if (p.get(stage) != null && p.get(stage).isObject()) {
                    last = p.get(stage);
                }
            }
            if (last != null) {
                for (String k : PROBE_KEYS) {
                    Double v = RunJson.number(last, k);
                    if (v != null) {
                        out.put(k, v);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a run without readable results shows no probes; its mIoU comes from ablation.json
        }
        return out;
    }
}
