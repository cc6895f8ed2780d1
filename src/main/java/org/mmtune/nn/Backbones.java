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
        return spec.backbone() == BackboneType.ALEXNET ? alexNet(spec) : vgg16(spec);
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
