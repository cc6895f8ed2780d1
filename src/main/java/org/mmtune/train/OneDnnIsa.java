package org.mmtune.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mmtune.util.AtomicFiles;
import org.mmtune.util.NativeEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the instruction set oneDNN (libtorch's CPU kernels) may use and sets {@code ONEDNN_MAX_CPU_ISA} in
 * this process's native environment before libtorch loads: oneDNN reads the variable with {@code getenv} at its
 * first dispatch, so {@link #prepare} must run before the first tensor operation of the process.
 *
 * <p>The choice, in order: a user's own {@code ONEDNN_MAX_CPU_ISA} always wins; else the verdict cached for
 * this CPU model and libtorch version (in {@code ~/.cache/mmtune/onednn-isa.json}, or under
 * {@code $XDG_CACHE_HOME}, or {@code -Dmmtune.cacheDir}); else a probe, once per machine: every ISA the CPU
 * offers runs {@link IsaProbe} in its own child JVM (oneDNN reads the variable once per process), and the
 * fastest ISA whose gradients are finite and agree with the conservative AVX kernels' within
 * {@link #TOLERANCE} wins. With {@code -Dmmtune.isaProbe=off}, or when the probe cannot run, it is AVX. The
 * gradient check before training ({@link KernelCheck}) stays in any case.
 */
public final class OneDnnIsa {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnIsa.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    /** The conservative ISA every other one is compared with (finite gradients on every CPU measured). */
    static final String REFERENCE = "AVX";
    /**
     * Largest accepted relative difference (L2, per parameter) of a candidate's gradients from AVX's. Measured on
     * an AMD EPYC (Zen 4): AVX2 4e-6, AVX-512 8.5e-4 (other summation orders through five BatchNorm layers);
     * kernels that read memory they never wrote give NaN or differences of order 1.
     */
    static final double TOLERANCE = 1e-2;
    static final String CACHE_FILE = "onednn-isa.json";
    private static final long PROBE_TIMEOUT_S = 180;

    /**
     * The ISA this process runs with ({@code null} = oneDNN's own choice) and why: {@code basis} in a few words
     * (for a status bar), {@code reason} in full.
     */
    public record Choice(String isa, String basis, String reason) {

        Choice(String isa, String reason) {
            this(isa, basisOf(reason), reason);
        }

        private static String basisOf(String reason) {
            if (reason.contains("cached in")) {
                return "cached probe";
            }
            if (reason.startsWith("probed")) {
                return "probed";
            }
            if (reason.contains("set in the environment")) {
                return "your " + VARIABLE;
            }
            return reason.startsWith("conservative") ? "conservative default" : "oneDNN default";
        }

        /** The ISA's name, {@code oneDNN default} when mmtune leaves the choice to oneDNN. */
        public String name() {
            return isa == null ? "oneDNN default" : isa;
        }

        /** e.g. {@code AVX512_CORE (probed on this CPU: ...)}. */
        public String describe() {
            return name() + " (" + reason + ")";
        }
    }

    /** One ISA's probe: finite gradients, their largest relative difference from AVX's, and ms per step. */
    record Measured(String isa, boolean finite, double relDiff, double fcnMs, double mmMs, String failure) {

        boolean ok() {
            return failure == null && finite && relDiff <= TOLERANCE;
        }

        double stepMs() {
            return fcnMs + mmMs;
        }

        String summary() {
            if (failure != null) {
                return isa + " failed (" + failure + ")";
            }
            if (!finite) {
                return isa + " NaN gradients";
            }
            String t = String.format(Locale.ROOT, "%s %.0f ms", isa, stepMs());
            return relDiff <= TOLERANCE ? t : t + String.format(Locale.ROOT, ", gradients off by %.1e", relDiff);
        }
    }

    private static volatile Choice chosen;

    private OneDnnIsa() {
    }

    /** {@link #prepare(Consumer)} with no progress notes. */
    public static Choice prepare() {
        return prepare(s -> { });
    }

    /**
     * Decides the ISA once per process and sets the variable natively; later calls return the same choice.
     * Must run before libtorch's first operation in this process. {@code notes} gets a line when the (slow,
     * once per machine) probe starts and ends, for a terminal.
     */
    public static synchronized Choice prepare(Consumer<String> notes) {
        if (chosen != null) {
            return chosen;
        }
        Choice c = decide(System.getenv(VARIABLE), cacheDir(), !"off".equals(System.getProperty("mmtune.isaProbe")),
                notes);
        if (c.isa() != null && System.getenv(VARIABLE) == null && !NativeEnv.set(VARIABLE, c.isa())) {
            c = new Choice(null, "could not set " + VARIABLE + " in this process");
        }
        LOG.info("oneDNN ISA: {}", c.describe());
        chosen = c;
        return c;
    }

    /** The choice made by {@link #prepare}, or empty when it has not run in this process. */
    public static Optional<Choice> current() {
        Choice c = chosen;
        if (c != null) {
            return Optional.of(c);
        }
        String own = System.getenv(VARIABLE);
        return own == null ? Optional.empty() : Optional.of(new Choice(own, VARIABLE + " set in the environment"));
    }

    static Choice decide(String own, Path cacheDir, boolean probe, Consumer<String> notes) {
        if (own != null && !own.isBlank()) {
            return new Choice(own.trim(), VARIABLE + " set in the environment");
        }
        Set<String> flags = cpuFlags();
        if (!flags.contains("avx")) {
            return new Choice(null, flags.isEmpty() ? "no x86 CPU flags found: oneDNN's own choice"
                    : "CPU without AVX: oneDNN's own choice");
        }
        String key = machineKey();
        Path cache = cacheDir.resolve(CACHE_FILE);
        Optional<Choice> cached = readCache(cache, key);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (!probe) {
            return new Choice(REFERENCE, "conservative default; the ISA probe is off (-Dmmtune.isaProbe=off)");
        }
        List<String> candidates = candidates(flags);
        notes.accept("choosing oneDNN CPU kernels for this machine, once (" + String.join(", ", candidates)
                + "; a few seconds each)…");
        List<Measured> measured;
        try {
            measured = probe(candidates);
        } catch (IOException e) {
            LOG.warn("oneDNN ISA probe failed: {}", e.getMessage());
            LOG.debug("probe failure", e);
            return new Choice(REFERENCE, "conservative default; the ISA probe failed: " + e.getMessage());
        }
        Choice verdict = judge(measured, LocalDate.now().toString());
        if (measured.stream().allMatch(m -> m.failure() == null)) {
            writeCache(cache, key, verdict, measured);
        }
        notes.accept("oneDNN ISA " + verdict.describe());
        return verdict;
    }

    /** The fastest ISA whose gradients are finite and agree with AVX's; AVX when none does (or AVX failed). */
    static Choice judge(List<Measured> measured, String date) {
        StringBuilder all = new StringBuilder();
        for (Measured m : measured) {
            all.append(all.length() == 0 ? "" : "; ").append(m.summary());
        }
        Measured ref = measured.stream().filter(m -> m.isa().equals(REFERENCE)).findFirst().orElse(null);
        if (ref == null || !ref.ok()) {
            return new Choice(REFERENCE, "probed " + date + ": the AVX reference itself failed, kept AVX [" + all + "]");
        }
        Measured best = ref;
        for (Measured m : measured) {
            if (m.ok() && m.stepMs() < best.stepMs()) {
                best = m;
            }
        }
        return new Choice(best.isa(), "probed on this CPU " + date + ": fastest ISA whose gradients agree with AVX's ["
                + all + " per probe step]");
    }

    /** AVX, then the wider ISAs this CPU has, then ALL (oneDNN's default) when the CPU has more than those. */
    static List<String> candidates(Set<String> flags) {
        List<String> c = new ArrayList<>(List.of(REFERENCE));
        if (flags.contains("avx2")) {
            c.add("AVX2");
        }
        boolean avx512 = flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
        if (avx512) {
            c.add("AVX512_CORE");
        }
        boolean more = flags.stream().anyMatch(f -> f.startsWith("amx") || f.equals("avx512_bf16")
                || f.equals("avx512_vnni") || f.equals("avx_vnni") || f.equals("avx512_fp16"));
        if (more || (!avx512 && flags.contains("avx2") && flags.stream().anyMatch(f -> f.startsWith("avx512")))) {
            c.add("ALL");
        }
        return c;
    }

    /** Runs {@link IsaProbe} once per candidate, one child JVM at a time, and compares with the reference's gradients. */
    static List<Measured> probe(List<String> candidates) throws IOException {
        Path dir = Files.createTempDirectory("mmtune-isa-probe");
        try {
            IsaProbe.Result ref = null;
            List<Measured> out = new ArrayList<>();
            for (String isa : candidates) {
                Path file = dir.resolve(isa + ".bin");
                String failure = runChild(isa, file, dir.resolve(isa + ".log"));
                if (failure != null) {
                    out.add(new Measured(isa, false, Double.NaN, 0, 0, failure));
                    continue;
                }
                IsaProbe.Result r = IsaProbe.Result.read(file);
                if (ref == null && isa.equals(REFERENCE)) {
                    ref = r;
                }
                double diff = ref == null ? Double.NaN : relDiff(r.gradients(), ref.gradients());
                out.add(new Measured(isa, r.finite(), diff, r.fcnMs(), r.mmMs(), null));
                LOG.info("oneDNN ISA probe {}: finite {}, relative gradient difference {}, FCN {} ms, M&M {} ms", isa,
                        r.finite(), diff, r.fcnMs(), r.mmMs());
            }
            return out;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The largest relative L2 difference over the parameters; infinity when the shapes differ or any is NaN. */
    static double relDiff(List<float[]> a, List<float[]> ref) {
        if (a.size() != ref.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] r = ref.get(i);
            if (x.length != r.length) {
                return Double.POSITIVE_INFINITY;
            }
            double num = 0;
            double den = 0;
            for (int k = 0; k < x.length; k++) {
                double d = (double) x[k] - r[k];
                num += d * d;
                den += (double) r[k] * r[k];
            }
            double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
            if (Double.isNaN(rel)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, rel);
        }
        return worst;
    }

    /**
     * One probe child; null when it wrote its result, else why not. The child reads its standard input (a pipe
     * from this JVM) and ends when it closes, so it dies with this process; it is killed after a timeout too.
     */
    private static String runChild(String isa, Path out, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xmx1g");
        cmd.add("-XX:+UseSerialGC");
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("ai.djl.") || k.startsWith("DJL_")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        cmd.add("-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"));
        cmd.add(IsaProbe.class.getName());
        cmd.add(out.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put(VARIABLE, isa);
        pb.environment().putIfAbsent("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        try {
            if (!p.waitFor(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
                return "no answer within " + PROBE_TIMEOUT_S + " s";
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                String tail = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.startsWith("isa probe failed")).findFirst().orElse("exit code " + p.exitValue());
                return tail;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            p.getOutputStream().close();
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    // ---- the cache: one verdict per CPU model and libtorch version ----

    /** {@code -Dmmtune.cacheDir}, else {@code $XDG_CACHE_HOME/mmtune}, else {@code ~/.cache/mmtune}. */
    public static Path cacheDir() {
        String own = System.getProperty("mmtune.cacheDir");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "mmtune");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "mmtune");
    }

    static Optional<Choice> readCache(Path cache, String key) {
        if (!Files.isRegularFile(cache)) {
            return Optional.empty();
        }
        try {
            JsonNode e = JSON.readTree(cache.toFile()).path("verdicts").path(key);
            if (!e.path("isa").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Choice(e.get("isa").asText(), e.path("reason").asText("probed") + "; cached in "
                    + cache));
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            LOG.warn("{}: unreadable ({}), choosing the ISA again", cache, why);
            return Optional.empty();
        }
    }

    static void writeCache(Path cache, String key, Choice verdict, List<Measured> measured) {
        try {
            ObjectNode root = Files.isRegularFile(cache) && JSON.readTree(cache.toFile()) instanceof ObjectNode o
                    ? o : JSON.createObjectNode();
            ObjectNode verdicts = root.has("verdicts") && root.get("verdicts") instanceof ObjectNode v
                    ? v : root.putObject("verdicts");
            ObjectNode e = verdicts.putObject(key);
            e.put("isa", verdict.isa());
            e.put("reason", verdict.reason());
            ArrayNode ms = e.putArray("measured");
            for (Measured m : measured) {
                ObjectNode n = ms.addObject();
                n.put("isa", m.isa());
                n.put("finiteGradients", m.finite());
                n.put("relativeGradientDifference", Double.isFinite(m.relDiff()) ? m.relDiff() : -1);
                n.put("fcnStepMs", Math.round(m.fcnMs() * 10) / 10.0);
                n.put("mmStepMs", Math.round(m.mmMs() * 10) / 10.0);
            }
            Files.createDirectories(cache.getParent());
            AtomicFiles.writeString(cache, JSON.writeValueAsString(root));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not cache the oneDNN ISA verdict in {}: {}", cache, e.getMessage());
        }
    }

    /** Records a verdict for this machine (used by tests and by {@code bench isa}). */
    static void cacheVerdict(Path cacheDir, Choice verdict) {
        writeCache(cacheDir.resolve(CACHE_FILE), machineKey(), verdict, List.of());
    }

    /** CPU model name, a digest of its flags (VMs hide flags under one model name) and the libtorch version. */
    static String machineKey() {
        Set<String> flags = cpuFlags();
        String digest;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            digest = HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            digest = Integer.toHexString(flags.hashCode());
        }
        return cpuModel() + " [" + digest + "] / libtorch " + libtorch().getProperty("version", "unknown") + " "
                + libtorch().getProperty("flavor", "");
    }

    static String cpuModel() {
        for (String l : cpuinfo()) {
            if (l.startsWith("model name")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    static Set<String> cpuFlags() {
        for (String l : cpuinfo()) {
            if (l.startsWith("flags")) {
                return new TreeSet<>(List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream().limit(64).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The bundled libtorch's {@code pytorch.properties} (version, flavor: cpu or cu…), read from the class path
     * without loading it; empty when no native artifact is bundled (a libtorch found elsewhere).
     */
    public static Properties libtorch() {
        Properties p = new Properties();
        try (InputStream in = OneDnnIsa.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            LOG.debug("no pytorch.properties", e);
        }
        return p;
    }

}
