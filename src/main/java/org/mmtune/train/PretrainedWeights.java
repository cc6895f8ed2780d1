package org.mmtune.train;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.nn.weights.ImportReport;
import org.mmtune.nn.weights.SourceInput;
import org.mmtune.nn.weights.SourceTensor;
import org.mmtune.nn.weights.TargetLayout;
import org.mmtune.nn.weights.WeightFiles;
import org.mmtune.nn.weights.WeightMapper;
import org.mmtune.nn.weights.WeightReader;
import org.mmtune.util.AtomicFiles;

/**
 * Networks trained elsewhere in, mmtune backbones out: {@link #importFile} maps a weights file onto a backbone
 * ({@link WeightMapper}) and writes an mmtune checkpoint ({@link Checkpoints#saveStandalone}) that
 * {@code initCheckpoint}, {@code embed}, {@code eval} and the workbench load; {@link #export} writes a
 * checkpoint's backbone under torchvision's {@code features.N} names as safetensors or npz.
 */
public final class PretrainedWeights {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to import into: backbone and width, an optional user map and the source's input normalisation;
     * {@code prototxt}: the network definition of a Caffe model (null: found next to it).
     */
    public record ImportOptions(NetSpec spec, Path map, SourceInput input, Path prototxt) {
        public ImportOptions(NetSpec spec, Path map, SourceInput input) {
            this(spec, map, input, null);
        }
    }

    /** An import that did not fit: the report says why. */
    public static final class DoesNotFitException extends IOException {
        private final transient ImportReport report;

        DoesNotFitException(String message, ImportReport report) {
            super(message);
            this.report = report;
        }

        public ImportReport report() {
            return report;
        }
    }

    private PretrainedWeights() {
    }

    /**
     * Imports {@code source} into {@code out} (+ its json), writing {@code reportOut} when given (also when
     * the file does not fit, in which case no checkpoint is written and a {@link DoesNotFitException} names
     * the first mismatch).
     */
    public static ImportReport importFile(Path source, ImportOptions options, Path out, Path reportOut)
            throws IOException {
        Map<String, String> userMap = options.map() == null ? null : readMap(options.map());
        WeightReader reader = WeightFiles.readerFor(source, options.prototxt());
        LinkedHashMap<String, SourceTensor> tensors = reader.read(source);
        return importTensors(source, WeightFiles.formatOf(reader), tensors, options.spec(), userMap, options.input(),
                out, reportOut, true);
    }

    /** An imported checkpoint and its report. */
    public record Imported(Path params, ImportReport report) {
    }

    /**
     * Imports {@code source} for {@code spec} into {@code dir/<name>-<backbone>-w<N>.params} with its report beside it
     * ({@code ….report.json}): the workbench's import for a form whose backbone is set.
     */
    public static Imported importInto(Path source, NetSpec spec, Path dir) throws IOException {
        String stem = source.getFileName().toString().replaceAll("\\.[^.]*$", "") + "-" + spec.backbone().id() + "-w"
                + spec.widthDivisor();
        Files.createDirectories(dir);
        Path out = dir.resolve(stem + ".params");
        ImportReport r = importFile(source, new ImportOptions(spec, null, null), out, dir.resolve(stem + ".report.json"));
        return new Imported(out, r);
    }

    /** Width divisors tried by {@link #importGuessing}. */
    private static final int[] DIVISORS = {1, 2, 4, 8, 16, 32, 64};

    /**
     * Imports a file whose backbone and width are not given (the workbench's <i>Load checkpoint…</i>): tries
     * every backbone type at width divisors 1 to 64 with the automatic mapping and keeps the first that fits,
     * writing {@code <outDir>/<name>-<backbone>-w<N>.params}.
     */
    public static Imported importGuessing(Path source, Path outDir) throws IOException {
        WeightReader reader = WeightFiles.readerFor(source);
        LinkedHashMap<String, SourceTensor> tensors = reader.read(source);
        long[] first = null;
        for (SourceTensor t : tensors.values()) {
            if (t.shape().length == 4) {
                first = t.shape();
                break;
            }
        }
        if (first != null) {
            for (org.mmtune.nn.BackboneType type : org.mmtune.nn.BackboneType.values()) {
                for (int d : DIVISORS) {
                    NetSpec spec = new NetSpec(type, d);
                    if (!firstConvFits(spec, first)) {
                        continue;
                    }
                    String stem = source.getFileName().toString().replaceAll("\\.[^.]*$", "");
                    Path out = outDir.resolve(stem + "-" + type.id() + "-w" + d + ".params");
                    try {
                        ImportReport r = importTensors(source, WeightFiles.formatOf(reader), tensors, spec, null, null,
                                out, null, false);
                        if (r != null) {
                            return new Imported(out, r);
                        }
                    } catch (DoesNotFitException e) {
                        // try the next one
                    }
                }
            }
        }
        throw new IOException(source + ": fits none of mmtune's backbones at width divisors 1 to 64 with the automatic "
                + "mapping; use mmtune weights import --backbone TYPE --width-divisor N [--map MAP.json]");
    }

    /** Whether the backbone's first convolution has the source's output channels and kernel (no weights allocated). */
    private static boolean firstConvFits(NetSpec spec, long[] sourceShape) {
        java.util.ArrayDeque<ai.djl.nn.Block> todo = new java.util.ArrayDeque<>();
        todo.add(org.mmtune.nn.Backbones.build(spec));
        while (!todo.isEmpty()) {
            ai.djl.nn.Block b = todo.poll();
            if (b instanceof ai.djl.nn.convolutional.Convolution c) {
                Shape k = c.getKernelShape();
                return c.getFilters() == sourceShape[0] && k.dimension() == 2 && k.get(0) == sourceShape[2]
                        && k.get(1) == sourceShape[3];
            }
            java.util.List<ai.djl.nn.Block> children = new java.util.ArrayList<>();
            b.getChildren().forEach(p -> children.add(p.getValue()));
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.addFirst(children.get(i));
            }
        }
        return true;
    }

    /**
     * Maps and, when it fits, writes the checkpoint. With {@code refuse} false a file that does not fit
     * gives null instead of a {@link DoesNotFitException}.
     */
    private static ImportReport importTensors(Path source, String format, LinkedHashMap<String, SourceTensor> tensors,
                                              NetSpec spec, Map<String, String> userMap, SourceInput input, Path out,
                                              Path reportOut, boolean refuse) throws IOException {
        try (Model model = Model.newInstance("mmtune-import")) {
            MmtuneNet net = MmtuneNet.embedding(spec);
            model.setBlock(net);
            int side = Math.max(128, spec.minInputSize());
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, side, side));
            TargetLayout layout = TargetLayout.of(net.backbone());
            WeightMapper.Result r = WeightMapper.map(source.getFileName().toString(), format,
                    spec.backbone().id(), spec.widthDivisor(), tensors, layout, userMap, input);
            if (reportOut != null) {
                AtomicFiles.writeString(reportOut, JSON.writeValueAsString(r.report()));
            }
            if (!r.report().fits()) {
                if (!refuse) {
                    return null;
                }
                throw new DoesNotFitException(source + ": does not fit " + spec.backbone().id() + " width ÷"
                        + spec.widthDivisor() + ": " + r.report().shapeMismatch().get(0), r.report());
            }
            fill(layout, r.values());
            Checkpoints.saveStandalone(out, net, "import");
            return r.report();
        }
    }

    private static void fill(TargetLayout layout, List<WeightMapper.LayerValues> values) {
        for (int i = 0; i < layout.layers().size(); i++) {
            TargetLayout.Layer l = layout.layers().get(i);
            WeightMapper.LayerValues v = values.get(i);
            set(l.weight(), v.weight());
            set(l.bias(), v.bias());
            set(l.gamma(), v.gamma());
            set(l.beta(), v.beta());
            set(l.mean(), v.mean());
            set(l.var(), v.var());
        }
    }

    private static void set(Parameter p, float[] values) {
        if (p != null && values != null) {
            p.getArray().set(FloatBuffer.wrap(values));
        }
    }

    private static Map<String, String> readMap(Path map) throws IOException {
        if (!Files.isRegularFile(map)) {
            throw new IOException(map + ": no such map file");
        }
        try {
            Map<String, String> m = JSON.readValue(map.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
            if (m == null) {
                throw new IOException("empty");
            }
            for (String k : m.keySet()) {
                if (!k.matches("(conv|bn)\\d+(\\.(weight|bias|running_mean|running_var))?")) {
                    throw new IOException("unknown mmtune name '" + k + "' (use conv<i>, bn<i> or e.g. conv1.weight, "
                            + "bn1.running_mean)");
                }
            }
            return m;
        } catch (IOException e) {
            throw new IOException(map + ": not a weights map (" + e.getMessage().lines().findFirst().orElse("") + ")"
                    + "; expected {\"conv1\": \"source.layer\", …}", e);
        }
    }

    /** The checkpoint a run offers for export: the given stage's, else M&M, proxy, fine-tuned. */
    public static Path checkpointOfRun(Path runDir, Stage stage) throws IOException {
        Path dir = runDir.resolve("checkpoints");
        List<Stage> order = stage != null ? List.of(stage) : List.of(Stage.MM, Stage.PROXY, Stage.FINETUNE);
        for (Stage s : order) {
            Path p = Checkpoints.paramsFile(dir, s);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(runDir + ": no " + (stage != null ? stage.id() + " " : "") + "checkpoint in "
                + dir.getFileName() + "/");
    }

    /**
     * The backbone of a checkpoint as named tensors, torchvision style: {@code features.N.weight} (and a zero
     * {@code features.N.bias}, so that a torchvision model whose convolutions have a bias loads exact values)
     * for each convolution, {@code features.N.weight/bias/running_mean/running_var} for its batch norm, N being
     * the layer's position in the backbone (torchvision's {@code vgg16_bn} numbering for vgg16).
     */
    public static LinkedHashMap<String, SourceTensor> backboneTensors(Path params) throws IOException {
        Checkpoints.Header h = Checkpoints.header(params);
        try (Model model = Model.newInstance("mmtune-export")) {
            MmtuneNet net = MmtuneNet.embedding(h.spec());
            model.setBlock(net);
            int side = Math.max(128, h.spec().minInputSize());
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, side, side));
            Checkpoints.loadBackbone(params, net);
            LinkedHashMap<String, SourceTensor> out = new LinkedHashMap<>();
            for (TargetLayout.Layer l : TargetLayout.of(net.backbone()).layers()) {
                String c = "features." + l.convIndex() + ".";
                add(out, c + "weight", l.weight());
                if (l.bias() != null) {
                    add(out, c + "bias", l.bias());
                } else {
                    long n = l.weightShape()[0];
                    out.put(c + "bias", new SourceTensor(c + "bias", new long[] {n}, new float[(int) n]));
                }
                if (l.hasBn()) {
                    String b = "features." + l.bnIndex() + ".";
                    add(out, b + "weight", l.gamma());
                    add(out, b + "bias", l.beta());
                    add(out, b + "running_mean", l.mean());
                    add(out, b + "running_var", l.var());
                }
            }
            return out;
        }
    }

    private static void add(Map<String, SourceTensor> out, String name, Parameter p) {
        if (p != null) {
            out.put(name, new SourceTensor(name, p.getArray().getShape().getShape(), p.getArray().toFloatArray()));
        }
    }

    /** Exports a checkpoint's backbone to {@code out} (.safetensors or .npz, by its extension), atomically. */
    public static int export(Path params, Path out) throws IOException {
        String ext = WeightFiles.extension(out);
        if (!ext.equals("safetensors") && !ext.equals("npz")) {
            throw new IllegalArgumentException(out + ": export writes .safetensors or .npz");
        }
        Checkpoints.Header h = Checkpoints.header(params);
        LinkedHashMap<String, SourceTensor> t = backboneTensors(params);
        if (ext.equals("npz")) {
            WeightFiles.writeNpz(out, t);
        } else {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("producer", "mmtune weights export");
            meta.put("backbone", h.spec().backbone().id());
            meta.put("widthDivisor", Integer.toString(h.spec().widthDivisor()));
            meta.put("input", "1 gray channel (BT.601 luma g), (g/255 - 0.45)/0.25");
            WeightFiles.writeSafetensors(out, t, meta);
        }
        return t.size();
    }
}
