package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;

/**
 * The Caffe and ONNX readers on fixtures made by src/test/python/make_ref_fixtures.py: a width-÷16 alexnet-ref
 * model whose L2-normalised pool5 of a sample image PyTorch computed (and OpenCV's own forward of both files
 * reproduced).
 */
class RefReadersTest {

    static final Path DIR = Path.of("src/test/resources/weights");
    static final NetSpec SPEC = new NetSpec(BackboneType.ALEXNET_REF, 16);

    @Test
    void caffeNamesFollowTheContractAndBatchNormStatisticsAreDividedByCaffesFactor() throws IOException {
        LinkedHashMap<String, SourceTensor> t = new CaffeReader().read(DIR.resolve("ref16.caffemodel"));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            expected.addAll(List.of("conv" + i + ".weight", "conv" + i + ".bias",
                    "batch_conv" + i + ".running_mean", "batch_conv" + i + ".running_var"));
        }
        assertThat(t.keySet()).containsExactlyElementsOf(expected);
        assertThat(t.get("conv2.weight").shape()).containsExactly(16, 3, 5, 5);
        assertThat(t.get("conv2.bias").shape()).containsExactly(16);
        // the ONNX file holds the same statistics undivided: Caffe's copy, divided by its factor, must equal them
        LinkedHashMap<String, SourceTensor> o = new OnnxReader().read(DIR.resolve("ref16.onnx"));
        float[] c = t.get("batch_conv2.running_var").data();
        float[] x = o.get("batch_conv2.running_var").data();
        for (int i = 0; i < c.length; i++) {
            assertThat(c[i]).isCloseTo(x[i], org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
    }

    @Test
    void onnxNamesAreTheInitializerNamesOfTheExport() throws IOException {
        LinkedHashMap<String, SourceTensor> t = new OnnxReader().read(DIR.resolve("ref16.onnx"));
        assertThat(t.keySet()).startsWith("conv1.weight", "conv1.bias", "batch_conv1.weight", "batch_conv1.bias",
                "batch_conv1.running_mean", "batch_conv1.running_var", "conv2.weight");
        assertThat(t).hasSize(30);
        assertThat(t.get("conv4.weight").shape()).containsExactly(32, 16, 3, 3);
    }

    @Test
    void caffeAndOnnxModelsGiveTheSourceFrameworksPool5Embedding() throws IOException {
        float[] expected = expected();
        assertThat(embed(new CaffeReader().read(DIR.resolve("ref16.caffemodel")))).hasSize(expected.length)
                .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(embed(new OnnxReader().read(DIR.resolve("ref16.onnx"))))
                .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void theCaffePrototxtIsFoundByBaseNameOrGivenExplicitly(@TempDir Path tmp) throws IOException {
        Path model = Files.copy(DIR.resolve("ref16.caffemodel"), tmp.resolve("graph_iter_9.caffemodel"));
        assertThatThrownBy(() -> new CaffeReader().read(model)).isInstanceOf(IOException.class)
                .hasMessage(model + ": prototxt missing (looked for graph_iter_9.prototxt and deploy.prototxt next to"
                        + " it; give one with --prototxt)");
        assertThat(new CaffeReader(DIR.resolve("ref16.prototxt")).read(model)).hasSize(20);
        Files.copy(DIR.resolve("ref16.prototxt"), tmp.resolve("deploy.prototxt"));
        assertThat(new CaffeReader().read(model)).hasSize(20);
    }

    @Test
    void aDeployPrototxtWithTheReferencesClassifierAndInterpLayerStillReads(@TempDir Path tmp) throws IOException {
        // the reference's deploy.prototxt goes on from pool5 to fc6 … fc8 and DeepLab's Interp, whose interp_param
        // OpenCV's caffe.proto does not know; a model without the classifier's weights still gives the backbone
        String deploy = Files.readString(DIR.resolve("ref16.prototxt")) + """
                layer {
                  name: "fc6"
                  type: "Convolution"
                  bottom: "pool5"
                  top: "fc6"
                  convolution_param { num_output: 8 kernel_size: 3 pad: 1 }
                }
                layer {
                  name: "interp_score"  # upsampling, no weights
                  type: "Interp"
                  bottom: "fc6"
                  top: "upscore"
                  interp_param { height: 96 width: 128 }
                }
                """;
        Path def = Files.writeString(tmp.resolve("deploy.prototxt"), deploy);
        LinkedHashMap<String, SourceTensor> t = new CaffeReader(def).read(DIR.resolve("ref16.caffemodel"));
        assertThat(t).hasSize(20);
        assertThat(CaffeReader.withoutLayers(deploy, CaffeReader.OPENCV_UNKNOWN)).contains("\"fc6\"")
                .doesNotContain("interp_param").endsWith("}\n\n");
    }

    @Test
    void truncatedAndForeignFilesAreRefusedInOneLineNamingTheFile(@TempDir Path tmp) throws IOException {
        byte[] caffe = Files.readAllBytes(DIR.resolve("ref16.caffemodel"));
        Path cut = tmp.resolve("cut.caffemodel");
        Files.write(cut, Arrays.copyOf(caffe, caffe.length / 3));
        Files.copy(DIR.resolve("ref16.prototxt"), tmp.resolve("cut.prototxt"));
        oneLine(() -> new CaffeReader().read(cut), cut.toString());

        Path png = Files.copy(DIR.resolve("ref-input.png"), tmp.resolve("image.caffemodel"));
        Files.copy(DIR.resolve("ref16.prototxt"), tmp.resolve("image.prototxt"));
        oneLine(() -> new CaffeReader().read(png), png.toString());

        Path badDef = tmp.resolve("x.caffemodel");
        Files.write(badDef, caffe);
        Files.writeString(tmp.resolve("x.prototxt"), "layer { this is not a prototxt");
        oneLine(() -> new CaffeReader().read(badDef), badDef.toString());

        byte[] onnx = Files.readAllBytes(DIR.resolve("ref16.onnx"));
        Path cutOnnx = tmp.resolve("cut.onnx");
        Files.write(cutOnnx, Arrays.copyOf(onnx, onnx.length / 2));
        oneLine(() -> new OnnxReader().read(cutOnnx), cutOnnx.toString());

        Path text = tmp.resolve("notes.onnx");
        Files.writeString(text, "not a model\n");
        oneLine(() -> new OnnxReader().read(text), text.toString());

        Path empty = Files.createFile(tmp.resolve("empty.onnx"));
        oneLine(() -> new OnnxReader().read(empty), empty.toString());
        oneLine(() -> new OnnxReader().read(tmp.resolve("absent.onnx")), tmp.resolve("absent.onnx").toString());
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static void oneLine(Read r, String file) {
        assertThatThrownBy(r::run).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n").doesNotContain("cppbuild"));
    }

    static float[] expected() throws IOException {
        return toFloats(Files.readAllLines(DIR.resolve("ref16-pool5.txt")));
    }

    private static float[] toFloats(List<String> lines) {
        float[] v = new float[lines.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(lines.get(i).trim());
        }
        return v;
    }

    /** The fixture image as mmtune's normalised (1, 1, H, W) input. */
    static float[] input(int[] hw) throws IOException {
        Raster r = ImageIO.read(DIR.resolve("ref-input.png").toFile()).getRaster();
        hw[0] = r.getHeight();
        hw[1] = r.getWidth();
        byte[] gray = new byte[hw[0] * hw[1]];
        for (int y = 0; y < hw[0]; y++) {
            for (int x = 0; x < hw[1]; x++) {
                gray[y * hw[1] + x] = (byte) r.getSample(x, y, 0);
            }
        }
        float[] out = new float[gray.length];
        InputNorm.normalize(gray, out, 0);
        return out;
    }

    /**
     * Copies the tensors into an alexnet-ref backbone in order (conv weight/bias, BN statistics; BN weight/bias
     * when the file has them) and returns the embedding head's output for the fixture image.
     */
    private static float[] embed(LinkedHashMap<String, SourceTensor> tensors) throws IOException {
        int[] hw = new int[2];
        float[] in = input(hw);
        try (NDManager m = NDManager.newBaseManager(); Model model = Model.newInstance("ref")) {
            MmtuneNet net = MmtuneNet.embedding(SPEC);
            model.setBlock(net);
            Shape shape = new Shape(1, 1, hw[0], hw[1]);
            net.initialize(model.getNDManager(), DataType.FLOAT32, shape);
            Iterator<SourceTensor> src = tensors.values().iterator();
            SourceTensor next = src.next();
            for (Pair<String, Parameter> p : net.backbone().getParameters()) {
                NDArray a = p.getValue().getArray();
                boolean affine = p.getKey().endsWith("gamma") || p.getKey().endsWith("beta");
                if (affine && !(next != null && next.name().endsWith(p.getKey().endsWith("gamma") ? ".weight" : ".bias")
                        && next.name().startsWith("batch_"))) {
                    continue; // Caffe's BatchNorm has no affine part: gamma 1, beta 0 stay
                }
                assertThat(next).as(p.getKey()).isNotNull();
                assertThat(a.size()).as(p.getKey() + " <- " + next).isEqualTo(next.size());
                a.set(FloatBuffer.wrap(next.data()));
                next = src.hasNext() ? src.next() : null;
            }
            assertThat(next).as("unused tensors").isNull();
            NDArray out = net.forward(new ParameterStore(m, false), new NDList(m.create(in, shape)), false)
                    .singletonOrThrow();
            return out.toFloatArray();
        }
    }
}
