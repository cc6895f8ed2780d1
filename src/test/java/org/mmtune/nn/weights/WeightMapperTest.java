package org.mmtune.nn.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;

/** The same AlexNet under Caffe names (shuffled), under meaningless names in order, and by a user map. */
class WeightMapperTest {

    private static WeightMapper.Result map(Map<String, SourceTensor> tensors, Map<String, String> userMap) {
        try (Model model = Model.newInstance("mapper-test")) {
            MmtuneNet net = MmtuneNet.embedding(new NetSpec(BackboneType.ALEXNET, 16));
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 128, 128));
            return WeightMapper.map("test", "test", "alexnet", 16, tensors, TargetLayout.of(net.backbone()), userMap, null);
        }
    }

    private static SourceTensor renamed(SourceTensor t, String name) {
        return new SourceTensor(name, t.shape(), t.data());
    }

    private static void assertSameValues(WeightMapper.Result a, WeightMapper.Result b) {
        assertThat(a.report().fits()).as(a.report().summary()).isTrue();
        assertThat(b.report().fits()).as(b.report().summary()).isTrue();
        assertThat(a.values()).hasSameSizeAs(b.values());
        for (int i = 0; i < a.values().size(); i++) {
            assertThat(a.values().get(i).weight()).containsExactly(b.values().get(i).weight());
            assertThat(a.values().get(i).mean()).containsExactly(b.values().get(i).mean());
            assertThat(a.values().get(i).var()).containsExactly(b.values().get(i).var());
            assertThat(a.values().get(i).gamma()).containsExactly(b.values().get(i).gamma());
            assertThat(a.values().get(i).beta()).containsExactly(b.values().get(i).beta());
        }
    }

    @Test
    void caffeNamesInAnyOrderAndPlainOrderMapLikeTorchvisionNames() throws Exception {
        LinkedHashMap<String, SourceTensor> tv = WeightFiles.read(WeightReadersTest.DIR.resolve("alexnet.pth"));
        WeightMapper.Result byFeatures = map(tv, null);
        assertThat(byFeatures.report().mapping()).isEqualTo("by name (torchvision features.N)");

        int[] convs = {0, 4, 8, 11, 14};
        List<SourceTensor> caffe = new ArrayList<>();
        List<SourceTensor> ordered = new ArrayList<>();
        for (int i = 0; i < convs.length; i++) {
            String c = "features." + convs[i] + ".";
            String b = "features." + (convs[i] + 1) + ".";
            int n = i + 1;
            caffe.add(renamed(tv.get(c + "weight"), "conv" + n + ".weight"));
            caffe.add(renamed(tv.get(b + "running_mean"), "batch_conv" + n + ".running_mean"));
            caffe.add(renamed(tv.get(b + "running_var"), "batch_conv" + n + ".running_var"));
            caffe.add(renamed(tv.get(b + "weight"), "scale_conv" + n + ".weight"));
            caffe.add(renamed(tv.get(b + "bias"), "scale_conv" + n + ".bias"));
            ordered.add(renamed(tv.get(c + "weight"), "enc.layer" + (char) ('a' + 2 * i) + ".weight"));
            for (String s : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                ordered.add(renamed(tv.get(b + s), "enc.layer" + (char) ('b' + 2 * i) + "." + s));
            }
        }
        // the reference's fc6 is a convolution after conv5, with its batch norm: unused
        caffe.add(new SourceTensor("fc6.weight", new long[] {4, 16, 3, 3}, new float[4 * 16 * 9]));
        caffe.add(new SourceTensor("batch_fc6.running_mean", new long[] {4}, new float[4]));
        Collections.shuffle(caffe, new java.util.Random(7));
        WeightMapper.Result byCaffe = map(toMap(caffe), null);
        assertThat(byCaffe.report().mapping()).isEqualTo("by name (conv<i>, bn<i>, scale<i>)");
        assertThat(byCaffe.report().unused()).containsExactlyInAnyOrder("fc6.weight", "batch_fc6.running_mean");
        assertSameValues(byFeatures, byCaffe);

        WeightMapper.Result byOrder = map(toMap(ordered), null);
        assertThat(byOrder.report().mapping()).isEqualTo("by order (the file's)");
        assertSameValues(byFeatures, byOrder);

        // explicit names for the first two layers give the same again
        Map<String, String> user = new LinkedHashMap<>();
        user.put("conv1", "enc.layera");
        user.put("bn1", "enc.layerb");
        WeightMapper.Result byMap = map(toMap(ordered), user);
        assertThat(byMap.report().mapping()).startsWith("by the user's map");
        assertSameValues(byFeatures, byMap);
    }

    @Test
    void aMissingLayerIsNamed() throws Exception {
        LinkedHashMap<String, SourceTensor> tv = WeightFiles.read(WeightReadersTest.DIR.resolve("alexnet.pth"));
        tv.keySet().removeIf(k -> k.startsWith("features.14."));
        WeightMapper.Result r = map(tv, null);
        assertThat(r.report().fits()).isFalse();
        assertThat(r.values()).isEmpty();
        assertThat(r.report().shapeMismatch().get(0))
                .isEqualTo("conv5.weight: the file has no tensor for it (it holds 4 convolution(s), the network 5)");
    }

    private static LinkedHashMap<String, SourceTensor> toMap(List<SourceTensor> list) {
        LinkedHashMap<String, SourceTensor> m = new LinkedHashMap<>();
        for (SourceTensor t : list) {
            m.put(t.name(), t);
        }
        return m;
    }
}
