package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;

/**
 * {@code mmtune weights import} of the alexnet-ref Caffe and ONNX fixtures, then {@code mmtune embed} of the
 * fixture image, reproduces the pool5 embedding PyTorch computed for the same weights (and OpenCV's forward of
 * both files matched when they were made): the path the CLI takes, run in this JVM.
 */
class RefImportTest {

    private static final Path DIR = RefReadersTest.DIR;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path importFile(String file, String... extra) {
        Path out = tmp.resolve(file.replace('.', '_') + ".params");
        List<String> args = new ArrayList<>(List.of("weights", "import", DIR.resolve(file).toString(),
                "--backbone", "alexnet-ref", "--width-divisor", "16", "--out", out.toString(),
                "--report", tmp.resolve(file + ".report.json").toString()));
        args.addAll(List.of(extra));
        BadInput.Run r = BadInput.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return out;
    }

    private float[] embed(Path ckpt) throws Exception {
        Path out = tmp.resolve("emb-" + ckpt.getFileName() + ".json");
        BadInput.Run r = BadInput.run("embed", "--checkpoint", ckpt.toString(), "--image",
                DIR.resolve("ref-input.png").toString(), "--json", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode n = JSON.readTree(out.toFile());
        assertThat(n.get("shape").toString()).isEqualTo("[16,3,4]"); // ceil-mode pool5 of 96×128
        float[] v = new float[n.get("embedding").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) n.get("embedding").get(i).asDouble();
        }
        return v;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void caffeModelReproducesTheSourceEmbedding() throws Exception {
        Path ckpt = importFile("ref16.caffemodel");
        assertThat(maxDiff(embed(ckpt), RefReadersTest.expected())).isLessThan(1e-4);
        JsonNode report = JSON.readTree(tmp.resolve("ref16.caffemodel.report.json").toFile());
        assertThat(report.get("format").asText()).isEqualTo("caffe");
        assertThat(report.get("matched").size()).isEqualTo(20); // 5 × (conv weight, bias, BN mean, var)
        assertThat(report.get("matched").get("conv2.bias").asText()).isEqualTo("conv2.bias");
        assertThat(report.get("matched").get("bn5.running_var").asText()).isEqualTo("batch_conv5.running_var");
        assertThat(report.get("shapeMismatch").size()).isZero();
        assertThat(report.get("unused").size()).isZero();
    }

    @Test
    void caffeModelWithAnExplicitPrototxt() throws Exception {
        Path model = Files.copy(DIR.resolve("ref16.caffemodel"), tmp.resolve("graph_iter_5.caffemodel"));
        Path out = tmp.resolve("g.params");
        BadInput.Run missing = BadInput.run("weights", "import", model.toString(), "--backbone", "alexnet-ref",
                "--width-divisor", "16", "--out", out.toString());
        BadInput.assertOneLine(missing, 1, model + ": prototxt missing (looked for graph_iter_5.prototxt");
        BadInput.Run r = BadInput.run("weights", "import", model.toString(), "--backbone", "alexnet-ref",
                "--width-divisor", "16", "--out", out.toString(), "--prototxt", DIR.resolve("ref16.prototxt").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(maxDiff(embed(out), RefReadersTest.expected())).isLessThan(1e-4);
    }

    @Test
    void onnxModelReproducesTheSourceEmbedding() throws Exception {
        Path ckpt = importFile("ref16.onnx");
        assertThat(maxDiff(embed(ckpt), RefReadersTest.expected())).isLessThan(1e-4);
        JsonNode report = JSON.readTree(tmp.resolve("ref16.onnx.report.json").toFile());
        assertThat(report.get("format").asText()).isEqualTo("onnx");
        assertThat(report.get("matched").size()).isEqualTo(30);
        assertThat(report.get("matched").get("bn1.weight").asText()).isEqualTo("batch_conv1.weight");
    }

    @Test
    void theReferenceInputNormalisationIsFoldedIntoConv1() throws Exception {
        // the same Caffe weights, declared as trained on gray/255 − 0.4488: conv1 is rescaled (×0.25) and its bias
        // shifted, so the embedding moves away from the one computed on mmtune's normalisation
        Path ckpt = importFile("ref16.caffemodel", "--input-norm", "mm-reference");
        assertThat(maxDiff(embed(ckpt), RefReadersTest.expected())).isGreaterThan(1e-3);
        JsonNode report = JSON.readTree(tmp.resolve("ref16.caffemodel.report.json").toFile());
        assertThat(report.get("transforms").toString()).contains("M&M reference colorization");
    }

    @Test
    void truncatedAndForeignModelsAreRefusedInOneLine() throws Exception {
        Path out = tmp.resolve("x.params");
        byte[] caffe = Files.readAllBytes(DIR.resolve("ref16.caffemodel"));
        Path cut = Files.write(tmp.resolve("cut.caffemodel"), Arrays.copyOf(caffe, caffe.length / 3));
        Files.copy(DIR.resolve("ref16.prototxt"), tmp.resolve("cut.prototxt"));
        BadInput.assertOneLine(BadInput.run("weights", "import", cut.toString(), "--backbone", "alexnet-ref",
                "--width-divisor", "16", "--out", out.toString()), 1, cut + ": not a readable Caffe model");
        byte[] onnx = Files.readAllBytes(DIR.resolve("ref16.onnx"));
        Path cutOnnx = Files.write(tmp.resolve("cut.onnx"), Arrays.copyOf(onnx, onnx.length / 2));
        BadInput.assertOneLine(BadInput.run("weights", "import", cutOnnx.toString(), "--backbone", "alexnet-ref",
                "--width-divisor", "16", "--out", out.toString()), 1, cutOnnx + ": not a readable ONNX model");
        Path text = Files.writeString(tmp.resolve("notes.onnx"), "not a model\n");
        BadInput.assertOneLine(BadInput.run("weights", "import", text.toString(), "--backbone", "alexnet-ref",
                "--width-divisor", "16", "--out", out.toString()), 1, text + ": not a readable ONNX model");
        // the right file for the wrong width
        BadInput.assertOneLine(BadInput.run("weights", "import", DIR.resolve("ref16.onnx").toString(), "--backbone",
                "alexnet-ref", "--width-divisor", "8", "--out", out.toString()), 1, "does not fit alexnet-ref width ÷8");
        assertThat(out).doesNotExist();
    }
}
