package org.mmtune.nn.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the tensors of a weights file onto an mmtune backbone ({@link TargetLayout}) and computes the values
 * that go into it.
 *
 * <p><b>Which tensor goes where.</b> Source tensors are grouped by layer (the name without its last part:
 * {@code features.3.weight} → layer {@code features.3}, suffix {@code weight}). A layer with a 4-D
 * {@code weight} is a convolution, one with a {@code running_mean} a batch norm, one with only a 1-D
 * {@code weight}/{@code bias} a Caffe Scale (the affine part of the batch norm before it). The layers are put
 * in forward order
 * <ul>
 *   <li>by number for torchvision's {@code features.N} (alexnet, vgg16, vgg16_bn and mmtune's own exports;
 *       other layers such as {@code classifier.*} are unused);</li>
 *   <li>by number and kind for the Caffe reference names {@code conv<i>} with {@code bn<i>} /
 *       {@code batch_conv<i>} / {@code conv<i>_bn} and {@code scale<i>} / {@code scale_conv<i>} /
 *       {@code conv<i>_scale};</li>
 *   <li>otherwise in the file's order;</li>
 * </ul>
 * and each batch norm (and scale) belongs to the convolution before it. The i-th source convolution fills
 * mmtune's i-th ({@code conv<i>}, {@code bn<i>}); surplus source layers (fc6 …) are unused. A user's map
 * ({@code {"conv1": "encoder.0", "bn1": "encoder.1", "conv2.weight": "x.w"}}: layer or tensor names of
 * mmtune → of the file; {@code null} leaves a target unmapped) overrides this.
 *
 * <p><b>Transforms</b> (each recorded in the report):
 * <ul>
 *   <li>first convolution with 3 input channels into mmtune's 1 gray channel: the source computes
 *       {@code Σ_c Σ_k W[o,c,k]·x_c} with {@code x_c = a_c·x + b_c} on a gray image given in all three channels
 *       ({@code x} mmtune's input, {@code a_c = 0.25/std_c}, {@code b_c = (0.45 − mean_c)/std_c}, see
 *       {@link SourceInput}); so the gray weight is {@code Σ_c a_c·W[o,c,k]} and the constant
 *       {@code Σ_c b_c·Σ_k W[o,c,k]} is added to the bias. This is exact wherever the kernel lies inside the
 *       image; at the border the source pads each channel with 0 (its mean colour) while mmtune pads with 0
 *       (its mean gray), so the first layer's outermost pixels (the padding width) differ;</li>
 *   <li>a 1-channel first convolution trained with another gray normalisation: the same with one channel;</li>
 *   <li>a convolution bias before a batch norm in mmtune (whose convolutions have none) is folded into the
 *       batch norm's running mean ({@code mean − bias});</li>
 *   <li>a source without batch norm gets an identity norm: mean 0 (minus the bias), var {@code 1 − eps}
 *       (so that {@code var + eps = 1} and the norm divides by exactly 1), gamma 1, beta 0.</li>
 * </ul>
 */
public final class WeightMapper {

    /** The values of one target layer, in the target's shapes ({@code bias} null when the target has none). */
    public record LayerValues(float[] weight, float[] bias, float[] gamma, float[] beta, float[] mean, float[] var) {
    }

    /** The values (empty when the file does not fit) and the report. */
    public record Result(List<LayerValues> values, ImportReport report) {
    }

    private static final Pattern FEATURES = Pattern.compile("^(?:.*\\.)?features\\.(\\d+)$");
    private static final Pattern CAFFE_CONV = Pattern.compile("^conv(\\d+)$");
    private static final Pattern CAFFE_BN = Pattern.compile("^(?:bn|batch_conv|bn_conv)(\\d+)$|^conv(\\d+)_bn$");
    private static final Pattern CAFFE_SCALE = Pattern.compile("^(?:scale|scale_conv)(\\d+)$|^conv(\\d+)_scale$");

    private static final Map<String, String> SUFFIXES = Map.of(
            "weight", "weight", "bias", "bias", "gamma", "weight", "beta", "bias",
            "running_mean", "running_mean", "running_var", "running_var",
            "moving_mean", "running_mean", "moving_var", "running_var", "moving_variance", "running_var");

    private WeightMapper() {
    }

    /** A source layer: a group of tensors sharing a prefix. */
    private record Group(String prefix, Map<String, SourceTensor> tensors) {
        SourceTensor get(String suffix) {
            return tensors.get(suffix);
        }

        boolean isConv() {
            SourceTensor w = get("weight");
            return w != null && w.shape().length == 4;
        }

        boolean isNorm() {
            return get("running_mean") != null;
        }

        boolean isScale() {
            SourceTensor w = get("weight");
            return !isNorm() && w != null && w.shape().length == 1;
        }
    }

    /**
     * Maps {@code tensors} (from {@code source}, read as {@code format}) onto {@code layout}.
     *
     * @param userMap mmtune name → source name overrides, or null
     * @param input   the source's input normalisation, or null for the default ({@link SourceInput#defaultFor})
     */
    public static Result map(String source, String format, String backbone, int widthDivisor,
                             Map<String, SourceTensor> tensors, TargetLayout layout, Map<String, String> userMap,
                             SourceInput input) {
        List<Group> groups = groups(tensors);
        String[] scheme = new String[1];
        List<Group> ordered = order(groups, scheme);
        Map<String, String> assign = new LinkedHashMap<>(); // mmtune tensor name → source tensor name
        int layer = 0;
        boolean layerHasNorm = false;
        for (Group g : ordered) {
            if (g.isConv()) {
                layer++;
                layerHasNorm = false;
                if (layer > layout.layers().size()) {
                    break;
                }
                put(assign, "conv" + layer + ".weight", g, "weight");
                put(assign, "conv" + layer + ".bias", g, "bias");
            } else if (layer > 0 && layer <= layout.layers().size() && g.isNorm() && !layerHasNorm) {
                layerHasNorm = true;
                for (String s : List.of("running_mean", "running_var", "weight", "bias")) {
                    put(assign, "bn" + layer + "." + s, g, s);
                }
            } else if (layer > 0 && layer <= layout.layers().size() && g.isScale()
                    && !assign.containsKey("bn" + layer + ".weight")) {
                put(assign, "bn" + layer + ".weight", g, "weight");
                put(assign, "bn" + layer + ".bias", g, "bias");
            }
        }
        String mapping = scheme[0];
        if (userMap != null && !userMap.isEmpty()) {
            applyUserMap(assign, userMap, tensors);
            mapping = "by the user's map (then " + scheme[0] + ")";
        }
        return compute(source, format, backbone, widthDivisor, tensors, layout, assign, mapping, input);
    }

    private static void put(Map<String, String> assign, String target, Group g, String suffix) {
        SourceTensor t = g.get(suffix);
        if (t != null) {
            assign.put(target, t.name());
        }
    }

    private static void applyUserMap(Map<String, String> assign, Map<String, String> userMap,
                                     Map<String, SourceTensor> tensors) {
        for (Map.Entry<String, String> e : userMap.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.contains(".")) {
                if (value == null || value.isEmpty()) {
                    assign.remove(key);
                } else {
                    assign.put(key, value);
                }
                continue;
            }
            List<String> suffixes = key.startsWith("conv") ? List.of("weight", "bias")
                    : List.of("weight", "bias", "running_mean", "running_var");
            for (String s : suffixes) {
                assign.remove(key + "." + s);
                if (value == null || value.isEmpty()) {
                    continue;
                }
                for (Map.Entry<String, String> alias : SUFFIXES.entrySet()) {
                    if (alias.getValue().equals(s) && tensors.containsKey(value + "." + alias.getKey())) {
                        assign.put(key + "." + s, value + "." + alias.getKey());
                        break;
                    }
                }
            }
        }
    }

    private static List<Group> groups(Map<String, SourceTensor> tensors) {
        Map<String, Group> byPrefix = new LinkedHashMap<>();
        for (SourceTensor t : tensors.values()) {
            int dot = t.name().lastIndexOf('.');
            String prefix = dot < 0 ? t.name() : t.name().substring(0, dot);
            String suffix = dot < 0 ? "" : SUFFIXES.getOrDefault(t.name().substring(dot + 1), "");
            if (suffix.isEmpty()) {
                continue;
            }
            byPrefix.computeIfAbsent(prefix, p -> new Group(p, new LinkedHashMap<>())).tensors().putIfAbsent(suffix, t);
        }
        return new ArrayList<>(byPrefix.values());
    }

    private static List<Group> order(List<Group> groups, String[] scheme) {
        List<Group> features = new ArrayList<>();
        for (Group g : groups) {
            if (FEATURES.matcher(g.prefix()).matches()) {
                features.add(g);
            }
        }
        if (features.stream().anyMatch(Group::isConv)) {
            features.sort(Comparator.comparingInt(g -> featureIndex(g.prefix())));
            scheme[0] = "by name (torchvision features.N)";
            return features;
        }
        // Caffe names: as soon as one convolution is called conv<i>; other layers (fc6 as a convolution, …) are unused
        List<Group> caffe = new ArrayList<>();
        boolean namedConv = false;
        for (Group g : groups) {
            if (g.isConv() && CAFFE_CONV.matcher(g.prefix().toLowerCase(Locale.ROOT)).matches()) {
                namedConv = true;
            }
            if (caffeKey(g.prefix()) >= 0) {
                caffe.add(g);
            }
        }
        if (namedConv) {
            caffe.sort(Comparator.comparingInt(g -> caffeKey(g.prefix())));
            scheme[0] = "by name (conv<i>, bn<i>, scale<i>)";
            return caffe;
        }
        scheme[0] = "by order (the file's)";
        return groups;
    }

    private static int featureIndex(String prefix) {
        Matcher m = FEATURES.matcher(prefix);
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    /** Sort key of a Caffe-named layer: 3·number + kind (conv 0, bn 1, scale 2); -1 when not one. */
    private static int caffeKey(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        Matcher m = CAFFE_CONV.matcher(p);
        if (m.matches()) {
            return 3 * Integer.parseInt(m.group(1));
        }
        m = CAFFE_BN.matcher(p);
        if (m.matches()) {
            return 3 * Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)) + 1;
        }
        m = CAFFE_SCALE.matcher(p);
        if (m.matches()) {
            return 3 * Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)) + 2;
        }
        return -1;
    }

    private static Result compute(String source, String format, String backbone, int widthDivisor,
                                  Map<String, SourceTensor> tensors, TargetLayout layout, Map<String, String> assign,
                                  String mapping, SourceInput inputOrNull) {
        Map<String, String> matched = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> mismatch = new ArrayList<>();
        List<String> transforms = new ArrayList<>();
        List<LayerValues> values = new ArrayList<>();
        for (TargetLayout.Layer l : layout.layers()) {
            String conv = l.convName();
            String bn = l.bnName();
            long[] wShape = l.weightShape();
            int out = (int) wShape[0];
            SourceTensor w = tensor(tensors, assign, conv + ".weight", mismatch);
            if (w == null) {
                if (!assign.containsKey(conv + ".weight")) {
                    missing.add(conv + ".weight");
                    mismatch.add(conv + ".weight: the file has no tensor for it (it holds " + countConvs(tensors)
                            + " convolution(s), the network " + layout.layers().size() + ")");
                }
                values.add(null);
                continue;
            }
            matched.put(conv + ".weight", w.name());
            float[] weight;
            double[] offset = null;
            if (Arrays.equals(w.shape(), wShape) && (l.number() > 1 || wShape[1] != 1)) {
                weight = w.data();
            } else if (l.number() == 1 && wShape[1] == 1 && w.shape().length == 4 && w.shape()[0] == wShape[0]
                    && w.shape()[2] == wShape[2] && w.shape()[3] == wShape[3]
                    && (w.shape()[1] == 3 || w.shape()[1] == 1)) {
                SourceInput in = inputOrNull != null ? inputOrNull : SourceInput.defaultFor(w.shape()[1]);
                if (w.shape()[1] == 1 && in.isMmtune()) {
                    weight = w.data();
                } else {
                    offset = new double[out];
                    weight = toGray(w, in, offset);
                    transforms.add(conv + ".weight: " + w.shape()[1] + " input channel(s) → 1 gray channel, weights "
                            + "Σ_c (0.25/std_c)·W_c and bias + Σ_c ((0.45 − mean_c)/std_c)·ΣW_c, assuming the source's input was "
                            + in.description() + " (a gray image given in every channel); exact except at the "
                            + "first layer's padded border");
                }
            } else {
                mismatch.add(conv + ".weight: " + w.name() + " has shape " + Arrays.toString(w.shape())
                        + ", the network needs " + Arrays.toString(wShape));
                values.add(null);
                continue;
            }
            SourceTensor b = tensor(tensors, assign, conv + ".bias", mismatch);
            float[] bias = new float[out];
            boolean hasBias = false;
            if (b != null) {
                if (b.size() != out) {
                    mismatch.add(conv + ".bias: " + b.name() + " has shape " + Arrays.toString(b.shape())
                            + ", the network needs [" + out + "]");
                    values.add(null);
                    continue;
                }
                matched.put(conv + ".bias", b.name());
                System.arraycopy(b.data(), 0, bias, 0, out);
                hasBias = true;
            }
            if (offset != null) {
                for (int o = 0; o < out; o++) {
                    bias[o] = (float) (bias[o] + offset[o]);
                }
                hasBias = true;
            }
            float[] convBias = null;
            if (l.bias() != null) {
                convBias = bias;
                if (b == null) {
                    missing.add(conv + ".bias");
                    transforms.add(conv + ".bias: none in the file" + (offset != null ? ", only the gray offset" : ", set to 0"));
                }
            }
            if (!l.hasBn()) {
                if (assign.containsKey(bn + ".running_mean")) {
                    mismatch.add(bn + ": the file has a batch norm (" + assign.get(bn + ".running_mean")
                            + ") where the network has none");
                }
                values.add(new LayerValues(weight, convBias, null, null, null, null));
                continue;
            }
            float[] gamma = filled(out, 1f);
            float[] beta = new float[out];
            float[] mean = new float[out];
            float[] var = filled(out, 1f - TargetLayout.BN_EPS);
            SourceTensor m = tensor(tensors, assign, bn + ".running_mean", mismatch);
            SourceTensor v = tensor(tensors, assign, bn + ".running_var", mismatch);
            SourceTensor g = tensor(tensors, assign, bn + ".weight", mismatch);
            SourceTensor be = tensor(tensors, assign, bn + ".bias", mismatch);
            boolean ok = true;
            for (SourceTensor t : Arrays.asList(m, v, g, be)) {
                if (t != null && t.size() != out) {
                    mismatch.add(bn + ": " + t.name() + " has shape " + Arrays.toString(t.shape())
                            + ", the network needs [" + out + "]");
                    ok = false;
                    break;
                }
            }
            if (!ok) {
                values.add(null);
                continue;
            }
            if (m != null && v != null) {
                mean = m.data().clone();
                var = v.data().clone();
                matched.put(bn + ".running_mean", m.name());
                matched.put(bn + ".running_var", v.name());
            } else {
                missing.add(bn + ".running_mean");
                missing.add(bn + ".running_var");
                transforms.add(bn + ": no batch norm in the file, identity norm (mean 0, var 1 − eps = "
                        + (1f - TargetLayout.BN_EPS) + " so that var + eps = 1, gamma 1, beta 0)");
            }
            if (g != null) {
                gamma = g.data().clone();
                matched.put(bn + ".weight", g.name());
            } else if (m != null) {
                missing.add(bn + ".weight");
                transforms.add(bn + ".weight: no affine scale in the file, gamma 1");
            }
            if (be != null) {
                beta = be.data().clone();
                matched.put(bn + ".bias", be.name());
            } else if (m != null) {
                missing.add(bn + ".bias");
                transforms.add(bn + ".bias: no affine shift in the file, beta 0");
            }
            if (convBias == null && hasBias) {
                for (int o = 0; o < out; o++) {
                    mean[o] -= bias[o];
                }
                transforms.add(conv + ".bias (" + (b != null ? b.name() : "gray offset") + ") folded into "
                        + bn + ".running_mean (mean − bias): mmtune's convolutions have no bias");
            }
            values.add(new LayerValues(weight, convBias, gamma, beta, mean, var));
        }
        Set<String> usedNames = new HashSet<>(matched.values());
        List<String> unused = new ArrayList<>();
        for (String n : tensors.keySet()) {
            if (!usedNames.contains(n)) {
                unused.add(n);
            }
        }
        ImportReport report = new ImportReport(source, format, backbone, widthDivisor, mapping, matched, missing, unused,
                mismatch, transforms);
        return new Result(mismatch.isEmpty() ? values : List.of(), report);
    }

    private static SourceTensor tensor(Map<String, SourceTensor> tensors, Map<String, String> assign, String target,
                                       List<String> mismatch) {
        String name = assign.get(target);
        if (name == null) {
            return null;
        }
        SourceTensor t = tensors.get(name);
        if (t == null) {
            mismatch.add(target + ": the map names " + name + ", which is not in the file");
        }
        return t;
    }

    private static int countConvs(Map<String, SourceTensor> tensors) {
        int n = 0;
        for (SourceTensor t : tensors.values()) {
            if (t.shape().length == 4 && t.name().endsWith("weight")) {
                n++;
            }
        }
        return n;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Sums a first convolution's input channels into one (see the class comment); {@code offset} receives the constant. */
    static float[] toGray(SourceTensor w, SourceInput in, double[] offset) {
        int out = (int) w.shape()[0];
        int cin = (int) w.shape()[1];
        int k = (int) (w.shape()[2] * w.shape()[3]);
        float[] src = w.data();
        float[] dst = new float[out * k];
        for (int o = 0; o < out; o++) {
            double off = 0;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < cin; c++) {
                    double v = src[(o * cin + c) * k + j];
                    s += in.scale(c) * v;
                    off += in.offset(c) * v;
                }
                dst[o * k + j] = (float) s;
            }
            offset[o] = off;
        }
        return dst;
    }
}
