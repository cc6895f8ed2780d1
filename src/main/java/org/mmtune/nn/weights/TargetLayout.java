package org.mmtune.nn.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The convolutions of an initialised backbone in forward order, each with its batch norm, as the importer
 * fills them and the exporter names them. Canonical names (1-based, as in the Caffe reference):
 * {@code conv<i>.weight}, {@code conv<i>.bias}, {@code bn<i>.weight} (gamma), {@code bn<i>.bias} (beta),
 * {@code bn<i>.running_mean}, {@code bn<i>.running_var}.
 */
public final class TargetLayout {

    /** Batch-norm epsilon of DJL's {@link BatchNorm} (its default, which mmtune keeps), as in PyTorch and Caffe. */
    public static final float BN_EPS = 1e-5f;

    /**
     * One convolution: {@code weight} and optional {@code bias}; the batch norm after it (null fields when
     * none); {@code convIndex}/{@code bnIndex}: the positions of the two among the backbone's top-level
     * blocks (torchvision's {@code features.N}).
     */
    public record Layer(int number, Parameter weight, Parameter bias, Parameter gamma, Parameter beta,
                        Parameter mean, Parameter var, int convIndex, int bnIndex) {

        public String convName() {
            return "conv" + number;
        }

        public String bnName() {
            return "bn" + number;
        }

        public long[] weightShape() {
            return weight.getArray().getShape().getShape();
        }

        public boolean hasBn() {
            return mean != null;
        }
    }

    private final List<Layer> layers;

    private TargetLayout(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The layout of an initialised backbone block. */
    public static TargetLayout of(Block backbone) {
        if (!backbone.isInitialized()) {
            throw new IllegalStateException("initialise the network first");
        }
        List<Object[]> found = new ArrayList<>(); // {block, top-level index}
        int top = 0;
        for (Pair<String, Block> child : backbone.getChildren()) {
            collect(child.getValue(), top, found);
            top++;
        }
        if (backbone instanceof Convolution || backbone instanceof BatchNorm) {
            collect(backbone, 0, found);
        }
        List<Layer> out = new ArrayList<>();
        Parameter w = null;
        Parameter b = null;
        int convIndex = -1;
        for (Object[] f : found) {
            Block blk = (Block) f[0];
            int idx = (Integer) f[1];
            if (blk instanceof Convolution) {
                if (w != null) {
                    out.add(new Layer(out.size() + 1, w, b, null, null, null, null, convIndex, -1));
                }
                w = param(blk, Parameter.Type.WEIGHT);
                b = param(blk, Parameter.Type.BIAS);
                convIndex = idx;
            } else if (w != null) {
                out.add(new Layer(out.size() + 1, w, b, param(blk, Parameter.Type.GAMMA), param(blk, Parameter.Type.BETA),
                        param(blk, Parameter.Type.RUNNING_MEAN), param(blk, Parameter.Type.RUNNING_VAR), convIndex, idx));
                w = null;
                b = null;
            }
        }
        if (w != null) {
            out.add(new Layer(out.size() + 1, w, b, null, null, null, null, convIndex, -1));
        }
        return new TargetLayout(out);
    }

    private static void collect(Block b, int top, List<Object[]> found) {
        if (b instanceof Convolution || b instanceof BatchNorm) {
            found.add(new Object[] {b, top});
            return;
        }
        for (Pair<String, Block> child : b.getChildren()) {
            collect(child.getValue(), top, found);
        }
    }

    private static Parameter param(Block b, Parameter.Type type) {
        for (Pair<String, Parameter> p : b.getDirectParameters()) {
            if (p.getValue().getType() == type) {
                return p.getValue();
            }
        }
        return null;
    }
}
