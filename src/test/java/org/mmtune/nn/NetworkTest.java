package org.mmtune.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private static final NetSpec TINY = new NetSpec(BackboneType.ALEXNET, 16);

    @Test
    void headsProduceTheDocumentedShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 1, 128, 128));
            assertThat(forward(MmtuneNet.embedding(TINY), x).getShape()).isEqualTo(new Shape(2, 16 * 2 * 2));
            assertThat(forward(MmtuneNet.segmentation(TINY, 5), m.randomNormal(new Shape(1, 1, 96, 112))).getShape())
                    .isEqualTo(new Shape(1, 5, 96, 112));
            assertThat(forward(MmtuneNet.colorization(TINY, 256), x).getShape()).isEqualTo(new Shape(2, 256, 32, 32));
            NDArray e = forward(MmtuneNet.embedding(TINY), x);
            float[] norms = e.square().sum(new int[] {1}).sqrt().toFloatArray();
            assertThat(norms[0]).isCloseTo(1f, within(1e-4f));
            assertThat(norms[1]).isCloseTo(1f, within(1e-4f));
            NetSpec vgg = new NetSpec(BackboneType.VGG16, 16);
            assertThat(forward(MmtuneNet.segmentation(vgg, 3), m.randomNormal(new Shape(1, 1, 64, 64))).getShape())
                    .isEqualTo(new Shape(1, 3, 64, 64));
        }
    }

    private static NDArray forward(MmtuneNet net, NDArray x) {
        try (Model model = Model.newInstance("t")) {
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, x.getShape());
            NDArray out = net.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow();
            return out.toDevice(out.getDevice(), true);
        }
    }

    @Test
    void tripletLossMatchesTheFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] e = {{1, 0}, {0.8f, 0.6f}, {0, 1}, {-1, 0}};
            NDArray emb = m.create(e);
            int[][] t = {{0, 1, 2}, {1, 0, 3}, {2, 2, 0}};
            TripletLoss.Result r = TripletLoss.compute(emb, t, 2.1f);
            double expected = 0;
            int violated = 0;
            for (int[] tr : t) {
                double h = Math.max(0, 2.1 + d2(e[tr[0]], e[tr[1]]) - d2(e[tr[0]], e[tr[2]]));
                expected += h;
                violated += h > 0 ? 1 : 0;
            }
            expected /= 2.0 * t.length;
            assertThat(r.loss().getFloat()).isCloseTo((float) expected, within(1e-5f));
            assertThat(r.violatedFraction()).isCloseTo(violated / 3f, within(1e-6f));
        }
    }

    private static double d2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    @Test
    void maskedCrossEntropyIgnoresVoidPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // N=1, C=2, H=1, W=3
            float[] logits = {2f, 0f, 1f, /* class 1 */ 0f, 1f, 1f};
            NDArray l = m.create(logits, new Shape(1, 2, 1, 3));
            NDArray t = m.create(new int[] {0, 1, 255}, new Shape(1, 1, 3));
            double p0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(0)));
            double p1 = -Math.log(Math.exp(1) / (Math.exp(0) + Math.exp(1)));
            float loss = MaskedCrossEntropy.compute(l, t, 255).getFloat();
            assertThat((double) loss).isCloseTo((p0 + p1) / 2, within(1e-5));
        }
    }
}
