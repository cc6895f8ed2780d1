package org.mmtune.nn.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Layer;
import org.bytedeco.opencv.opencv_dnn.Net;
import org.mmtune.util.OpenCvThreads;

/**
 * What the Caffe and ONNX readers share: a network parsed by OpenCV's dnn module (which never runs anything
 * from the file) and its layers' blobs, named by layer type. OpenCV keeps each layer's blobs as the file
 * stores them until the network is first run (then it may fuse layers), so they are read before any forward.
 */
final class OpenCvDnnWeights {

    /** A loader of one format; {@code RuntimeException}s are OpenCV's errors. */
    interface Loader {
        Net load();
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenCvDnnWeights.class);
    private static final java.util.regex.Pattern OPENCV_ERROR =
            java.util.regex.Pattern.compile("error: \\(-?\\d+:([^)]*)\\)(.*)$");

    private OpenCvDnnWeights() {
    }

    /** Refuses a missing, unreadable or empty file in one line. */
    static void checkFile(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such " + what + " file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": cannot read the " + what + " file");
        }
        if (Files.size(file) == 0) {
            throw new IOException(file + ": empty " + what + " file");
        }
    }

    /** Runs {@code loader}, turning OpenCV's (multi-line) errors into one line naming {@code file}. */
    static Net load(Path file, String what, Loader loader) throws IOException {
        OpenCvThreads.callerOnly();
        Net net;
        try {
            net = loader.load();
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable " + what + " (truncated or another format; OpenCV: "
                    + firstLine(e.getMessage()) + ")", e);
        }
        if (net == null || net.empty()) {
            throw new IOException(file + ": not a readable " + what + " (OpenCV found no layers)");
        }
        return net;
    }

    /** The layers' names in network order. */
    static String[] layerNames(Net net) {
        StringVector v = net.getLayerNames();
        String[] out = new String[(int) v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = text(v.get(i));
        }
        return out;
    }

    static String type(Layer layer) {
        return text(layer.type());
    }

    /** A C++ string as Java text (the pointers JavaCPP returns here may carry a trailing NUL or blank). */
    static String text(org.bytedeco.javacpp.BytePointer p) {
        String s = p.getString();
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).trim();
    }

    /** {@code t} with its shape flattened to one axis: OpenCV holds biases and statistics as {@code (C, 1)}. */
    static SourceTensor vector(SourceTensor t) {
        return t.shape().length == 1 ? t : new SourceTensor(t.name(), new long[] {t.size()}, t.data());
    }

    /** One blob as a float tensor (row-major, its own shape). */
    static SourceTensor tensor(Path file, String name, Mat m) throws IOException {
        if (m.depth() != org.bytedeco.opencv.global.opencv_core.CV_32F || m.channels() != 1) {
            throw new IOException(file + ": tensor " + name + " is not float32 (OpenCV type " + m.type() + ")");
        }
        Mat c = m.isContinuous() ? m : m.clone();
        int dims = c.dims();
        long[] shape = new long[dims];
        long n = 1;
        for (int i = 0; i < dims; i++) {
            shape[i] = c.size(i);
            n *= shape[i];
        }
        if (n > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor " + name + " is too large (" + n + " values)");
        }
        float[] data = new float[(int) n];
        new FloatPointer(c.data()).get(data);
        return new SourceTensor(name, shape, data);
    }

    /**
     * The blobs of every layer, named {@code <prefix>.<role>} by the layer's type: Convolution, Deconvolution,
     * InnerProduct and Scale hold weight, bias; BatchNorm holds the running mean and variance (divided by a
     * Caffe scale-factor blob when there is one) and, from ONNX, weight and bias; other types number their blobs.
     */
    static LinkedHashMap<String, SourceTensor> tensors(Path file, Net net, boolean caffe,
                                                       java.util.function.Function<String, String> prefixOf)
            throws IOException {
        LinkedHashMap<String, SourceTensor> out = new LinkedHashMap<>();
        java.util.List<String> empty = new java.util.ArrayList<>();
        for (String layerName : layerNames(net)) {
            Layer layer;
            try {
                layer = net.getLayer(layerName); // OpenCV builds the layer here and checks its blobs
            } catch (RuntimeException e) {
                // typically a BatchNorm the model holds no statistics for: left out like a convolution without weights
                empty.add(layerName + " (" + firstLine(e.getMessage()) + ")");
                continue;
            }
            MatVector blobs = layer.blobs();
            int count = (int) blobs.size();
            String type = type(layer);
            String prefix = prefixOf.apply(layerName);
            if (count == 0) {
                if (type.equals("Convolution") || type.equals("InnerProduct")) {
                    empty.add(layerName);
                }
                continue;
            }
            switch (type) {
                case "BatchNorm" -> batchNorm(file, prefix, blobs, count, caffe, out);
                case "Convolution", "Deconvolution", "InnerProduct", "Scale" -> {
                    SourceTensor w = tensor(file, prefix + ".weight", blobs.get(0));
                    put(out, type.equals("Scale") ? vector(w) : w);
                    if (count > 1) {
                        put(out, vector(tensor(file, prefix + ".bias", blobs.get(1))));
                    }
                    for (int i = 2; i < count; i++) {
                        put(out, tensor(file, prefix + "." + i, blobs.get(i)));
                    }
                }
                case "PReLU" -> put(out, vector(tensor(file, prefix + ".weight", blobs.get(0))));
                default -> {
                    for (int i = 0; i < count; i++) {
                        put(out, tensor(file, prefix + "." + type.toLowerCase(Locale.ROOT) + i, blobs.get(i)));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": the model holds no weights"
                    + (empty.isEmpty() ? "" : " for layer " + empty.get(0) + " or any other (does the prototxt belong to it?)"));
        }
        if (!empty.isEmpty()) {
            // e.g. a deploy prototxt whose classifier layers the model does not hold: the backbone may still fit
            LOG.warn("{}: {} layer(s) of the network have no weights in the model and are left out: {}", file,
                    empty.size(), String.join(", ", empty));
        }
        return out;
    }

    private static void batchNorm(Path file, String prefix, MatVector blobs, int count, boolean caffe,
                                  LinkedHashMap<String, SourceTensor> out) throws IOException {
        if (count < 2) {
            throw new IOException(file + ": BatchNorm layer " + prefix + " has " + count + " blobs, expected 2 or more");
        }
        SourceTensor mean = vector(tensor(file, prefix + ".running_mean", blobs.get(0)));
        SourceTensor var = vector(tensor(file, prefix + ".running_var", blobs.get(1)));
        if (caffe && count >= 3) {
            // Caffe stores the statistics multiplied by the moving-average factor of blob 2; 0 means "none yet"
            float f = tensor(file, prefix + ".factor", blobs.get(2)).data()[0];
            float scale = f == 0 ? 0 : 1 / f;
            mean = scaled(mean, scale);
            var = scaled(var, scale);
        }
        if (!caffe && count >= 4) {
            // OpenCV's ONNX importer keeps BatchNormalization as mean, var, scale, bias; the node's (and a
            // PyTorch state dict's) order is scale, bias, mean, var
            put(out, vector(tensor(file, prefix + ".weight", blobs.get(2))));
            put(out, vector(tensor(file, prefix + ".bias", blobs.get(3))));
        }
        put(out, mean);
        put(out, var);
    }

    private static SourceTensor scaled(SourceTensor t, float s) {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= s;
        }
        return new SourceTensor(t.name(), t.shape(), d);
    }

    private static void put(LinkedHashMap<String, SourceTensor> out, SourceTensor t) {
        out.put(t.name(), t);
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "no message";
        }
        for (String line : s.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty()) {
                // "OpenCV(4.11.0) /build/path/file.cpp:123: error: (-2:Unspecified error) FAILED: …": keep the reason
                java.util.regex.Matcher m = OPENCV_ERROR.matcher(l);
                if (m.find()) {
                    l = m.group(2).isBlank() ? m.group(1) : m.group(2).strip();
                }
                return l.length() > 160 ? l.substring(0, 160) + "…" : l;
            }
        }
        return "no message";
    }
}
