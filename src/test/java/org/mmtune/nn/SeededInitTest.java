package org.mmtune.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeededInitTest {

    private static final NetSpec TINY = new NetSpec(BackboneType.ALEXNET, 16);

    /** Every parameter's values after seeding, by full name. */
    private static Map<String, float[]> seeded(MmtuneNet net, Shape in, long seed) {
        try (Model model = Model.newInstance("t")) {
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, in);
            SeededInit.apply(net, seed);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return out;
        }
    }

    private static Map<String, float[]> backbone(Map<String, float[]> all) {
        Map<String, float[]> b = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.contains("backbone")) {
                b.put(k, v);
            }
        });
        return b;
    }

    @Test
    void theBackboneStartsTheSameUnderEveryHeadAndTheSeedDecides() {
        Map<String, float[]> color = seeded(MmtuneNet.colorization(TINY, 256), new Shape(1, 1, 96, 96), 7);
        Map<String, float[]> seg = seeded(MmtuneNet.segmentation(TINY, 5), new Shape(1, 1, 128, 128), 7);
        Map<String, float[]> emb = seeded(MmtuneNet.embedding(TINY), new Shape(2, 1, 128, 128), 7);
        Map<String, float[]> seg2 = seeded(MmtuneNet.segmentation(TINY, 5), new Shape(1, 1, 96, 96), 7);
        Map<String, float[]> other = seeded(MmtuneNet.segmentation(TINY, 5), new Shape(1, 1, 96, 96), 8);

        assertThat(backbone(color)).isNotEmpty();
        assertThat(backbone(color).keySet()).isEqualTo(backbone(seg).keySet()).isEqualTo(emb.keySet());
        backbone(color).forEach((k, v) -> {
            assertThat(seg.get(k)).as(k).containsExactly(v);
            assertThat(emb.get(k)).as(k).containsExactly(v);
        });
        seg.forEach((k, v) -> assertThat(seg2.get(k)).as(k).containsExactly(v));
        String conv1 = backbone(seg).keySet().iterator().next();
        assertThat(other.get(conv1)).isNotEqualTo(seg.get(conv1));
    }

    @Test
    void theDistributionsAreDjlDefaults() {
        Map<String, float[]> seg = seeded(MmtuneNet.segmentation(new NetSpec(BackboneType.ALEXNET, 4), 5),
                new Shape(1, 1, 96, 96), 3);
        int weights = 0;
        for (Map.Entry<String, float[]> e : seg.entrySet()) {
            String k = e.getKey();
            float[] v = e.getValue();
            if (k.endsWith("_weight") && k.contains("Conv")) {
                weights++;
                double mean = 0;
                double sq = 0;
                for (float x : v) {
                    mean += x;
                    sq += (double) x * x;
                }
                mean /= v.length;
                double std = Math.sqrt(sq / v.length - mean * mean);
                assertThat(v.length).isGreaterThan(100);
                // conv1: 1 input channel × 11×11 → std sqrt(2/121)
                if (weights == 1) {
                    assertThat(std).as(k).isCloseTo(Math.sqrt(2.0 / 121), within(0.1 * Math.sqrt(2.0 / 121)));
                }
                assertThat(Math.abs(mean)).as(k).isLessThan(0.35 * std);
            } else if (k.endsWith("_gamma") || k.endsWith("runningVar")) {
                for (float x : v) {
                    assertThat(x).as(k).isEqualTo(1f);
                }
            } else {
                for (float x : v) {
                    assertThat(x).as(k).isEqualTo(0f);
                }
            }
        }
        assertThat(weights).isGreaterThanOrEqualTo(7);
        assertThat(SeededInit.xavierScale(new Shape(8, 4, 3, 3))).isEqualTo((float) Math.sqrt(2.0 / 36));
    }
}
