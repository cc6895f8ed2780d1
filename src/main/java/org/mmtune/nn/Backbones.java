package org.mmtune.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * Builds the backbones up to conv5 (before pool5): the embedding head adds pool5, the FCN and
 * colorization heads read the conv5 map (stride 16).
 *
 * <p>AlexNet-BN follows the Caffe geometry of the paper: conv1 96·11×11 stride 4 (no padding), max-pool
 * 3×3/2, conv2 256·5×5 pad 2, max-pool 3×3/2, conv3 384, conv4 384, conv5 256 (3×3 pad 1), each
 * convolution followed by batch norm and ReLU. A 128×128 patch gives a 6×6 conv5 map and a 2×2 pool5.
 */
public final class Backbones {

    private Backbones() {
    }

    public static Block build(NetSpec spec) {
        return switch (spec.backbone()) {
            case ALEXNET -> alexNet(spec);
            case ALEXNET_REF -> alexNetRef(spec);
            case VGG16 -> vgg16(spec);
        };
    }

    /** The pool5 that the embedding head puts on the conv5 map. */
    public static Block pool5(NetSpec spec) {
        return switch (spec.backbone()) {
            case ALEXNET -> Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2));
            case ALEXNET_REF -> Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), true);
            case VGG16 -> Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
        };
    }

    /** The pool5 side for a conv5 side. */
    public static long pool5Side(NetSpec spec, long conv5Side) {
        return switch (spec.backbone()) {
            case ALEXNET -> (conv5Side - 3) / 2 + 1;
            case ALEXNET_REF -> Math.floorDiv(conv5Side - 3 + 1, 2) + 1; // ceil((s − 3) / 2) + 1
            case VGG16 -> conv5Side / 2;
        };
    }

    static SequentialBlock convBnRelu(SequentialBlock seq, int filters, int kernel, int stride, int pad) {
        return seq.add(Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(pad, pad))
                        .optBias(false)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
    }

    private static Block alexNet(NetSpec s) {
        SequentialBlock b = new SequentialBlock();
        convBnRelu(b, s.width(96), 11, 4, 0);
        b.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2)));
        convBnRelu(b, s.width(256), 5, 1, 2);
        b.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2)));
        convBnRelu(b, s.width(384), 3, 1, 1);
        convBnRelu(b, s.width(384), 3, 1, 1);
        convBnRelu(b, s.width(256), 3, 1, 1);
        return b;
    }

    /**
     * The AlexNet of the reference implementation's Caffe prototxts ({@code Alexnet/colorize} and
     * {@code Alexnet/random}, train_graph and deploy): conv1 96·11×11 stride 4 pad 5, BN, ReLU, LRN(5, 1e-4,
     * 0.75), max-pool 3×3/2 ceil; conv2 256·5×5 pad 2 groups 2, BN, ReLU, LRN, max-pool 3×3/2 ceil; conv3 384·3×3
     * pad 1; conv4 384 groups 2; conv5 256 groups 2, each with BN and ReLU. Every convolution has a bias; Caffe's
     * {@code BatchNorm} has no scale/shift and no Scale layer follows it, so neither does this (eps 1e-5, Caffe's
     * default). Channels per {@link NetSpec#groupedWidth}. A 128×128 patch gives an 8×8 conv5 map and a 4×4
     * pool5 (ceil mode).
     */
    private static Block alexNetRef(NetSpec s) {
        SequentialBlock b = new SequentialBlock();
        refConvBnRelu(b, s.groupedWidth(96), 11, 4, 5, 1);
        b.add(LocalResponseNorm.block(5, 1e-4f, 0.75f, 1f));
        b.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), true));
        refConvBnRelu(b, s.groupedWidth(256), 5, 1, 2, 2);
        b.add(LocalResponseNorm.block(5, 1e-4f, 0.75f, 1f));
        b.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), true));
        refConvBnRelu(b, s.groupedWidth(384), 3, 1, 1, 1);
        refConvBnRelu(b, s.groupedWidth(384), 3, 1, 1, 2);
        refConvBnRelu(b, s.groupedWidth(256), 3, 1, 1, 2);
        return b;
    }

    private static void refConvBnRelu(SequentialBlock seq, int filters, int kernel, int stride, int pad, int groups) {
        seq.add(Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(pad, pad))
                        .optGroups(groups)
                        .optBias(true)
                        .build())
                .add(BatchNorm.builder().optScale(false).optCenter(false).optEpsilon(1e-5f).build())
                .add(Activation::relu);
    }

    private static Block vgg16(NetSpec s) {
        int[][] stages = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                b.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            for (int c : stages[i]) {
                convBnRelu(b, s.width(c), 3, 1, 1);
            }
        }
        return b;
    }
}
