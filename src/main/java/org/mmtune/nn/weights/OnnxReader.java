package org.mmtune.nn.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.bytedeco.opencv.global.opencv_dnn;

/**
 * Reads an {@code .onnx} model through OpenCV's dnn module, in node order.
 *
 * <p>OpenCV keeps a node's constant inputs as its layer's blobs but not the initializers' names, so the names
 * are rebuilt from the node names: a PyTorch export names its nodes after the module path
 * ({@code /features/conv1/Conv}), which gives {@code features.conv1.weight} / {@code .bias} for Conv and Gemm
 * (weight as {@code (out, in)}), and {@code .weight}, {@code .bias}, {@code .running_mean},
 * {@code .running_var} for BatchNormalization — the initializer names of such an export. A node name without
 * slashes is used as it is. Exports that fold batch norm into the convolutions (PyTorch's eval-mode default)
 * hold no BatchNormalization nodes.
 */
public final class OnnxReader implements WeightReader {

    @Override
    public LinkedHashMap<String, SourceTensor> read(Path file) throws IOException {
        OpenCvDnnWeights.checkFile(file, "ONNX");
        var net = OpenCvDnnWeights.load(file, "ONNX model", () -> opencv_dnn.readNetFromONNX(file.toString()));
        try {
            return OpenCvDnnWeights.tensors(file, net, false, OnnxReader::modulePath);
        } finally {
            net.close();
        }
    }

    /**
     * {@code /features/conv1/Conv} → {@code features.conv1}; a name without slashes stays. OpenCV prefixes the
     * node names it keeps with {@code onnx_node!}; that goes.
     */
    static String modulePath(String layer) {
        String node = layer.startsWith("onnx_node!") ? layer.substring("onnx_node!".length()) : layer;
        if (!node.startsWith("/")) {
            return node;
        }
        String s = node.substring(1);
        int last = s.lastIndexOf('/');
        if (last > 0) {
            s = s.substring(0, last);
        }
        return s.replace('/', '.');
    }
}
