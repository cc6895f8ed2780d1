package org.mmtune.nn.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.opencv.global.opencv_dnn;

/**
 * Reads a Caffe {@code .caffemodel} through OpenCV's dnn module, which needs the network definition: the
 * {@code .prototxt} given to the constructor, or else the one next to the model with the same base name
 * ({@code graph_iter_20000.caffemodel} → {@code graph_iter_20000.prototxt}), or else a {@code deploy.prototxt}
 * in the same folder. Use a deploy prototxt: training prototxts of the reference implementation hold Python and
 * data layers that OpenCV does not know. Layers of types OpenCV cannot parse and that hold no weights (DeepLab's
 * {@code Interp}, which ends the reference's deploy prototxts) are dropped from a temporary copy; convolutions
 * the model holds no weights for (its classifier, say) are left out with a warning.
 *
 * <p>Names per {@link WeightReader}: {@code <layer>.weight}/{@code .bias} for Convolution, InnerProduct and
 * Scale layers, {@code <layer>.running_mean}/{@code .running_var} for BatchNorm layers, divided by Caffe's
 * moving-average factor (the layer's third blob), in the prototxt's layer order. Layers without blobs (ReLU, LRN,
 * pooling, the reference's Power/Slice/Eltwise preprocessing) give nothing.
 */
public final class CaffeReader implements WeightReader {

    private final Path prototxt;

    /** Finds the prototxt next to each model. */
    public CaffeReader() {
        this(null);
    }

    /** Uses {@code prototxt} (null: find it next to the model). */
    public CaffeReader(Path prototxt) {
        this.prototxt = prototxt;
    }

    @Override
    public LinkedHashMap<String, SourceTensor> read(Path file) throws IOException {
        OpenCvDnnWeights.checkFile(file, "caffemodel");
        Path def = prototxt != null ? prototxt : findPrototxt(file);
        OpenCvDnnWeights.checkFile(def, "prototxt");
        String text;
        try {
            text = Files.readString(def, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(def + ": cannot read the prototxt (" + e.getMessage() + ")", e);
        }
        String kept = withoutLayers(text, OPENCV_UNKNOWN);
        Path readable = def;
        if (!kept.equals(text)) {
            // the reference's deploy prototxts end in DeepLab's Interp layer (no weights), whose interp_param
            // OpenCV's caffe.proto does not know: give OpenCV a copy without it
            readable = Files.createTempFile("mmtune-", ".prototxt");
            Files.writeString(readable, kept, StandardCharsets.UTF_8);
        }
        Path proto = readable;
        try {
            var net = OpenCvDnnWeights.load(file, "Caffe model with " + def.getFileName(),
                    () -> opencv_dnn.readNetFromCaffe(proto.toString(), file.toString()));
            try {
                return OpenCvDnnWeights.tensors(file, net, true, name -> name);
            } finally {
                net.close();
            }
        } finally {
            if (!readable.equals(def)) {
                Files.deleteIfExists(readable);
            }
        }
    }

    /** Layer types without weights that OpenCV cannot parse; they are dropped from the prototxt. */
    static final Set<String> OPENCV_UNKNOWN = Set.of("Interp");

    private static final Pattern LAYER = Pattern.compile("(?m)^[ \\t]*layers?[ \\t]*\\{");
    private static final Pattern TYPE = Pattern.compile("type\\s*:\\s*\"?(\\w+)\"?");

    /** {@code text} without its top-level {@code layer { … }} blocks whose type is one of {@code types}. */
    static String withoutLayers(String text, Set<String> types) {
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = LAYER.matcher(text);
        int pos = 0;
        while (m.find(pos)) {
            int open = text.indexOf('{', m.start());
            int depth = 0;
            int end = open;
            for (; end < text.length(); end++) {
                char c = text.charAt(end);
                if (c == '#') {
                    int nl = text.indexOf('\n', end);
                    end = nl < 0 ? text.length() - 1 : nl;
                } else if (c == '"') {
                    int close = text.indexOf('"', end + 1);
                    end = close < 0 ? text.length() - 1 : close;
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            if (end >= text.length()) {
                break; // unbalanced: leave the rest to OpenCV, which names the problem
            }
            String block = text.substring(m.start(), end + 1);
            Matcher t = TYPE.matcher(block);
            out.append(text, pos, m.start());
            if (!(t.find() && types.contains(t.group(1)))) {
                out.append(block);
            }
            pos = end + 1;
        }
        return out.append(text.substring(pos)).toString();
    }

    /** The prototxt that belongs to {@code caffemodel}, or an IOException saying where it was looked for. */
    public static Path findPrototxt(Path caffemodel) throws IOException {
        Path abs = caffemodel.toAbsolutePath();
        String name = abs.getFileName().toString();
        String base = name.endsWith(".caffemodel") ? name.substring(0, name.length() - ".caffemodel".length()) : name;
        Path dir = abs.getParent();
        Path same = dir.resolve(base + ".prototxt");
        if (Files.isRegularFile(same)) {
            return same;
        }
        Path deploy = dir.resolve("deploy.prototxt");
        if (Files.isRegularFile(deploy)) {
            return deploy;
        }
        throw new IOException(caffemodel + ": prototxt missing (looked for " + same.getFileName() + " and "
                + deploy.getFileName() + " next to it; give one with --prototxt)");
    }
}
