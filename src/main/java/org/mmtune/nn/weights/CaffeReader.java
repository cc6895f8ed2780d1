package org.mmtune.nn.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.bytedeco.opencv.global.opencv_dnn;

/**
 * Reads a Caffe {@code .caffemodel} through OpenCV's dnn module, which needs the network definition: the
 * {@code .prototxt} given to the constructor, or else the one next to the model with the same base name
 * ({@code graph_iter_20000.caffemodel} → {@code graph_iter_20000.prototxt}), or else a {@code deploy.prototxt}
 * in the same folder. Use a deploy prototxt: training prototxts of the reference implementation hold Python and
 * data layers that OpenCV does not know.
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
        var net = OpenCvDnnWeights.load(file, "Caffe model with " + def.getFileName(),
                () -> opencv_dnn.readNetFromCaffe(def.toString(), file.toString()));
        try {
            return OpenCvDnnWeights.tensors(file, net, true, name -> name);
        } finally {
            net.close();
        }
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
