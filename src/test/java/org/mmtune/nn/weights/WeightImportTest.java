package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;
import org.mmtune.experiment.ImageEmbedder;
import org.mmtune.train.Checkpoints;

/**
 * Importing the fixtures reproduces torch's pool5 embedding of a real image (computed by
 * make_weight_fixtures.py), export and re-import are bit-exact, and files that cannot fit are refused in
 * one line without writing a checkpoint. Runs the real commands in this JVM.
 */
class WeightImportTest {

    private static final Path DIR = WeightReadersTest.DIR;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private float[] embed(Path ckpt) throws Exception {
        Path out = tmp.resolve("emb-" + ckpt.getFileName() + ".json");
        BadInput.Run r = BadInput.run("embed", "--checkpoint", ckpt.toString(), "--image", DIR.resolve("image.png").toString(),
                "--json", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode n = JSON.readTree(out.toFile());
        float[] v = new float[n.get("embedding").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) n.get("embedding").get(i).asDouble();
        }
        return v;
    }

    private static float[] expected(String file, String key) throws Exception {
        JsonNode n = JSON.readTree(DIR.resolve(file).toFile()).get(key);
        float[] v = new float[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) n.get(i).asDouble();
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

    private Path importFile(String file, String backbone, String... extra) {
        Path out = tmp.resolve(file.replace('.', '_') + ".params");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("weights", "import",
                DIR.resolve(file).toString(), "--backbone", backbone, "--width-divisor", "16", "--out", out.toString(),
                "--report", tmp.resolve(file + ".report.json").toString()));
        args.addAll(java.util.List.of(extra));
        BadInput.Run r = BadInput.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("matched");
        return out;
    }

    @Test
    void everyFormatOfTheAlexNetReproducesTorchsEmbedding() throws Exception {
        float[] want = expected("alexnet_expected.json", "embedding");
        assertThat(JSON.readTree(DIR.resolve("alexnet_expected.json").toFile()).get("shape").toString())
                .isEqualTo("[16,2,3]");
        for (String f : new String[] {"alexnet.pth", "alexnet_wrapped.pth", "alexnet_module.pth",
                "alexnet_bf16.safetensors", "alexnet_f64.npz"}) {
            Path ckpt = importFile(f, "alexnet");
            assertThat(Checkpoints.standaloneMetaFile(ckpt)).exists();
            assertThat(maxDiff(embed(ckpt), want)).as(f).isLessThan(1e-4);
            JsonNode report = JSON.readTree(tmp.resolve(f + ".report.json").toFile());
            assertThat(report.get("matched").size()).as(f).isEqualTo(25); // 5 × (conv weight + 4 bn tensors)
            assertThat(report.get("shapeMismatch").size()).isZero();
            assertThat(report.get("missing").size()).isZero();
        }
    }

    @Test
    void aVgg16BnWithConvBiasesAndRgbInputReproducesTorchsEmbedding() throws Exception {
        Path ckpt = importFile("vgg16_bn.pth", "vgg16");
        float[] got = embed(ckpt);
        // exact up to float rounding, given the first layer's padding as mmtune pads (mean gray)
        assertThat(maxDiff(got, expected("vgg16_bn_expected.json", "grayPad"))).isLessThan(1e-4);
        // against torch's own zero (mean colour) padding only the border differs: measured 6e-4 on this image
        assertThat(maxDiff(got, expected("vgg16_bn_expected.json", "torch"))).isLessThan(2e-3);
        JsonNode report = JSON.readTree(tmp.resolve("vgg16_bn.pth.report.json").toFile());
        assertThat(report.get("matched").size()).isEqualTo(13 * 6);
        assertThat(report.get("transforms").toString()).contains("3 input channel(s) → 1 gray channel")
                .contains("folded into bn1.running_mean");
    }

    @Test
    void aVgg16WithoutBatchNormGetsIdentityNorms() throws Exception {
        Path ckpt = importFile("vgg16.safetensors", "vgg16");
        float[] got = embed(ckpt);
        assertThat(maxDiff(got, expected("vgg16_expected.json", "grayPad"))).isLessThan(1e-4);
        assertThat(maxDiff(got, expected("vgg16_expected.json", "torch"))).isLessThan(2e-3);
        JsonNode report = JSON.readTree(tmp.resolve("vgg16.safetensors.report.json").toFile());
        assertThat(report.get("transforms").toString()).contains("identity norm");
    }

    @Test
    void exportThenImportIsBitExact() throws Exception {
        Path ckpt = importFile("vgg16_bn.pth", "vgg16");
        for (String ext : new String[] {"safetensors", "npz"}) {
            Path exported = tmp.resolve("export." + ext);
            BadInput.Run r = BadInput.run("weights", "export", "--checkpoint", ckpt.toString(), "--out", exported.toString());
            assertThat(r.code()).as(r.err()).isZero();
            LinkedHashMap<String, SourceTensor> t = WeightFiles.read(exported);
            assertThat(t.get("features.0.weight").shape()).containsExactly(4, 1, 3, 3);
            assertThat(t).containsKeys("features.0.bias", "features.1.running_mean", "features.41.running_var");
            Path back = tmp.resolve("back-" + ext + ".params");
            BadInput.Run r2 = BadInput.run("weights", "import", exported.toString(), "--backbone", "vgg16",
                    "--width-divisor", "16", "--out", back.toString());
            assertThat(r2.code()).as(r2.err()).isZero();
            assertThat(Files.readAllBytes(back)).as(ext).isEqualTo(Files.readAllBytes(ckpt));
            LinkedHashMap<String, SourceTensor> again = org.mmtune.train.PretrainedWeights.backboneTensors(back);
            for (SourceTensor s : t.values()) {
                assertThat(again.get(s.name()).data()).containsExactly(s.data());
            }
        }
    }

    @Test
    void filesThatCannotFitAreRefusedInOneLineAndWriteNoCheckpoint() throws Exception {
        Path out = tmp.resolve("x.params");
        BadInput.Run wrong = BadInput.run("weights", "import", DIR.resolve("tv_alexnet.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "16", "--out", out.toString(), "--report", tmp.resolve("r.json").toString());
        BadInput.assertOneLine(wrong, 1, "tv_alexnet.pth: does not fit alexnet width ÷16: conv1.weight: features.0.weight "
                + "has shape [4, 3, 11, 11], the network needs [6, 1, 11, 11]");
        assertThat(JSON.readTree(tmp.resolve("r.json").toFile()).get("shapeMismatch").size()).isPositive();
        BadInput.Run widthOff = BadInput.run("weights", "import", DIR.resolve("alexnet.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "8", "--out", out.toString());
        BadInput.assertOneLine(widthOff, 1, "does not fit alexnet width ÷8: conv1.weight");
        BadInput.Run vggAsAlex = BadInput.run("weights", "import", DIR.resolve("vgg16_bn.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "16", "--out", out.toString());
        BadInput.assertOneLine(vggAsAlex, 1, "does not fit alexnet");
        BadInput.Run evil = BadInput.run("weights", "import", DIR.resolve("malicious.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "16", "--out", out.toString());
        BadInput.assertOneLine(evil, 1, "refused, pickle refers to posix.system");
        assertThat(Path.of("mmtune_pickle_ran.marker")).doesNotExist();
        BadInput.Run cut = BadInput.run("weights", "import", DIR.resolve("truncated.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "16", "--out", out.toString());
        BadInput.assertOneLine(cut, 1, "truncated.pth: not a readable PyTorch zip checkpoint");
        BadInput.Run text = BadInput.run("weights", "import", DIR.resolve("not_weights.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "16", "--out", out.toString());
        BadInput.assertOneLine(text, 1, "not_weights.pth: not a PyTorch zip checkpoint");
        BadInput.Run badMap = BadInput.run("weights", "import", DIR.resolve("alexnet.pth").toString(), "--backbone",
                "alexnet", "--width-divisor", "16", "--out", out.toString(), "--map",
                Files.writeString(tmp.resolve("map.json"), "{\"layer1\": \"x\"}").toString());
        BadInput.assertOneLine(badMap, 1, "map.json: not a weights map (unknown mmtune name 'layer1'");
        assertThat(out).doesNotExist();
        assertThat(Checkpoints.standaloneMetaFile(out)).doesNotExist();
    }

    @Test
    void aUserMapOverridesTheAutomaticMapping() throws Exception {
        // swap conv3/conv4's batch norms by hand: the layers have equal widths, so it fits but changes the output
        Path map = Files.writeString(tmp.resolve("map.json"), "{\"bn3\": \"features.12\", \"bn4\": \"features.9\"}");
        Path ckpt = importFile("alexnet.pth", "alexnet", "--map", map.toString());
        JsonNode report = JSON.readTree(tmp.resolve("alexnet.pth.report.json").toFile());
        assertThat(report.get("matched").get("bn3.running_mean").asText()).isEqualTo("features.12.running_mean");
        assertThat(report.get("mapping").asText()).startsWith("by the user's map");
        assertThat(maxDiff(embed(ckpt), expected("alexnet_expected.json", "embedding"))).isGreaterThan(1e-3);
        try (ImageEmbedder e = ImageEmbedder.load(ckpt)) {
            assertThat(e.minInputSize()).isEqualTo(67);
        }
    }
}
