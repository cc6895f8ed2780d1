package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers on the fixtures made by src/test/python/make_weight_fixtures.py (no libtorch needed). */
class WeightReadersTest {

    static final Path DIR = Path.of("src/test/resources/weights");

    @Test
    void everyFormatAndWrapperOfTheSameNetworkReadsTheSameTensors() throws IOException {
        LinkedHashMap<String, SourceTensor> plain = WeightFiles.read(DIR.resolve("alexnet.pth"));
        assertThat(plain).containsKeys("features.0.weight", "features.1.running_var", "features.15.bias");
        assertThat(plain).doesNotContainKey("features.1.num_batches_tracked");
        assertThat(plain.get("features.0.weight").shape()).containsExactly(6, 1, 11, 11);
        for (String f : new String[] {"alexnet_wrapped.pth", "alexnet_module.pth", "alexnet_bf16.safetensors",
                "alexnet_f64.npz"}) {
            Map<String, SourceTensor> other = WeightFiles.read(DIR.resolve(f));
            assertThat(other.keySet()).as(f).containsExactlyInAnyOrderElementsOf(plain.keySet());
            for (SourceTensor t : plain.values()) {
                assertThat(other.get(t.name()).shape()).as(f + " " + t.name()).containsExactly(t.shape());
                // the fixture's values are exact in float16 and bfloat16: every format holds them bit for bit
                assertThat(other.get(t.name()).data()).as(f + " " + t.name()).containsExactly(t.data());
            }
        }
    }

    @Test
    void halfPrecisionConvertsExactly() {
        assertThat(Dtype.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Dtype.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Dtype.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Dtype.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Dtype.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void aPickleThatWouldRunACommandIsRefusedAndNothingRuns() {
        Path marker = Path.of("mmtune_pickle_ran.marker");
        assertThatThrownBy(() -> WeightFiles.read(DIR.resolve("malicious.pth")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("malicious.pth: refused, pickle refers to posix.system")
                .hasMessageNotContaining("\n");
        assertThat(marker).doesNotExist();
    }

    @Test
    void truncatedAndForeignFilesAreRefusedInOneLine(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> WeightFiles.read(DIR.resolve("truncated.pth")))
                .hasMessageStartingWith(DIR.resolve("truncated.pth") + ": not a readable PyTorch zip checkpoint")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> WeightFiles.read(DIR.resolve("not_weights.pth")))
                .hasMessage(DIR.resolve("not_weights.pth") + ": not a PyTorch zip checkpoint (no zip signature)");
        byte[] st = Files.readAllBytes(DIR.resolve("alexnet_bf16.safetensors"));
        Path cut = Files.write(tmp.resolve("cut.safetensors"), java.util.Arrays.copyOf(st, st.length - 100));
        assertThatThrownBy(() -> WeightFiles.read(cut)).hasMessageContaining("lies outside the file's data")
                .hasMessageStartingWith(cut.toString()).hasMessageNotContaining("\n");
        Path text = Files.writeString(tmp.resolve("notes.safetensors"), "hello, world, these are notes");
        assertThatThrownBy(() -> WeightFiles.read(text)).hasMessageStartingWith(text + ": not a safetensors file");
        byte[] npz = Files.readAllBytes(DIR.resolve("alexnet_f64.npz"));
        Path cutNpz = Files.write(tmp.resolve("cut.npz"), java.util.Arrays.copyOf(npz, npz.length / 2));
        assertThatThrownBy(() -> WeightFiles.read(cutNpz)).hasMessageStartingWith(cutNpz + ": not a readable npz");
        Path png = tmp.resolve("image.dat");
        Files.copy(DIR.resolve("image.png"), png);
        assertThatThrownBy(() -> WeightFiles.read(png))
                .hasMessageStartingWith(png + ": not a weights file mmtune can read");
    }

    @Test
    void exportFormatsReadBackBitForBit(@TempDir Path tmp) throws IOException {
        LinkedHashMap<String, SourceTensor> t = WeightFiles.read(DIR.resolve("vgg16_bn.pth"));
        Path st = tmp.resolve("x.safetensors");
        Path npz = tmp.resolve("x.npz");
        WeightFiles.writeSafetensors(st, t, Map.of("producer", "test"));
        WeightFiles.writeNpz(npz, t);
        for (Path p : new Path[] {st, npz}) {
            LinkedHashMap<String, SourceTensor> back = WeightFiles.read(p);
            assertThat(back.keySet()).containsExactlyElementsOf(t.keySet());
            for (SourceTensor s : t.values()) {
                assertThat(back.get(s.name()).shape()).containsExactly(s.shape());
                assertThat(back.get(s.name()).data()).containsExactly(s.data());
            }
        }
    }
}
