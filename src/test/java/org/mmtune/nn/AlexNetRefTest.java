package org.mmtune.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference implementation's AlexNet geometry: ceil-mode pooling, conv1 pad 5, groups, LRN. */
class AlexNetRefTest {

    private static final NetSpec FULL = new NetSpec(BackboneType.ALEXNET_REF, 1);
    private static final NetSpec DIV16 = new NetSpec(BackboneType.ALEXNET_REF, 16);

    @Test
    void pool5OfAPatchAndOfACamVidImageHaveCaffesCeilModeSides() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 128: conv1 32, pool1 16, pool2 8, conv5 8, pool5 ceil(5/2)+1 = 4
            assertThat(conv5(FULL, m.randomNormal(new Shape(1, 1, 128, 128)))).isEqualTo(new Shape(1, 256, 8, 8));
            assertThat(forward(MmtuneNet.embedding(FULL), m.randomNormal(new Shape(2, 1, 128, 128))).getShape())
                    .isEqualTo(new Shape(2, 256 * 4 * 4));
            // CamVid 360×480: conv1 90×120, pool1 45×60, pool2 22×30, pool5 11×15
            assertThat(conv5(DIV16, m.randomNormal(new Shape(1, 1, 360, 480)))).isEqualTo(new Shape(1, 16, 22, 30));
            assertThat(forward(MmtuneNet.embedding(DIV16), m.randomNormal(new Shape(1, 1, 360, 480))).getShape())
                    .isEqualTo(new Shape(1, 16 * 11 * 15));
            // the documented minimum side gives one pool5 cell
            int min = DIV16.minInputSize();
            assertThat(forward(MmtuneNet.embedding(DIV16), m.randomNormal(new Shape(1, 1, min, min))).getShape())
                    .isEqualTo(new Shape(1, 16));
        }
    }

    @Test
    void outputShapesAgreeWithTheForwardPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            MmtuneNet net = MmtuneNet.embedding(DIV16);
            Shape in = new Shape(2, 1, 100, 140);
            NDArray out = forward(net, m.randomNormal(in));
            assertThat(net.getOutputShapes(new Shape[] {in})[0]).isEqualTo(out.getShape());
        }
    }

    @Test
    void segmentationAndColorizationHeadsWork() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(forward(MmtuneNet.segmentation(DIV16, 12), m.randomNormal(new Shape(1, 1, 96, 112))).getShape())
                    .isEqualTo(new Shape(1, 12, 96, 112));
            assertThat(forward(MmtuneNet.colorization(DIV16, 32), m.randomNormal(new Shape(2, 1, 64, 64))).getShape())
                    .isEqualTo(new Shape(2, 32, 16, 16));
            NDArray e = forward(MmtuneNet.embedding(DIV16), m.randomNormal(new Shape(3, 1, 128, 128)));
            for (float n : e.square().sum(new int[] {1}).sqrt().toFloatArray()) {
                assertThat(n).isCloseTo(1f, within(1e-4f));
            }
        }
    }

    @Test
    void parametersAreTheCaffeModelsBlobs() {
        try (NDManager m = NDManager.newBaseManager(); Model model = Model.newInstance("ref")) {
            MmtuneNet net = MmtuneNet.embedding(FULL);
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 128, 128));
            List<String> shapes = new ArrayList<>();
            for (Pair<String, Parameter> p : net.backbone().getParameters()) {
                if (p.getKey().endsWith("weight")) {
                    shapes.add(p.getValue().getArray().getShape().toString());
                }
            }
            // grouped convolutions hold half the input channels per filter, as Caffe's blobs do
            assertThat(shapes).containsExactly("(96, 1, 11, 11)", "(256, 48, 5, 5)", "(384, 256, 3, 3)",
                    "(384, 192, 3, 3)", "(256, 192, 3, 3)");
        }
    }

    @Test
    void groupedWidthKeepsEachGroupAtAMultipleOfEight() {
        for (int d = 1; d <= 64; d++) {
            NetSpec s = new NetSpec(BackboneType.ALEXNET_REF, d);
            for (int full : new int[] {96, 256, 384}) {
                int c = s.groupedWidth(full);
                assertThat(c % 2).isZero();
                assertThat(c / 2 <= 8 || (c / 2) % 8 == 0).as("div %d full %d -> %d", d, full, c).isTrue();
                assertThat(c <= 8 || c % 8 == 0).isTrue();
            }
        }
        assertThat(FULL.groupedWidth(96)).isEqualTo(96);
        assertThat(new NetSpec(BackboneType.ALEXNET_REF, 2).groupedWidth(96)).isEqualTo(48);
    }

    @Test
    void lrnMatchesCaffesFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[2 * 7 * 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(i * 0.7) * 30f;
            }
            NDArray x = m.create(v, new Shape(2, 7, 3, 1));
            float[] y = LocalResponseNorm.apply(x, 5, 1e-4f, 0.75f, 1f).toFloatArray();
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 7; c++) {
                    for (int p = 0; p < 3; p++) {
                        double sum = 0;
                        for (int j = Math.max(0, c - 2); j <= Math.min(6, c + 2); j++) {
                            double a = v[(n * 7 + j) * 3 + p];
                            sum += a * a;
                        }
                        int i = (n * 7 + c) * 3 + p;
                        double expected = v[i] / Math.pow(1 + 1e-4 / 5 * sum, 0.75);
                        assertThat((double) y[i]).isCloseTo(expected, within(1e-4));
                    }
                }
            }
        }
    }

    private static Shape conv5(NetSpec spec, NDArray x) {
        Block b = Backbones.build(spec);
        try (Model model = Model.newInstance("b")) {
            model.setBlock(b);
            b.initialize(model.getNDManager(), DataType.FLOAT32, x.getShape());
            Shape s = b.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow().getShape();
            assertThat(b.getOutputShapes(new Shape[] {x.getShape()})[0]).isEqualTo(s);
            return s;
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
}
