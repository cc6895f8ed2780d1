package org.mmtune.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Backbone + one head, as one DJL block. Input {@code (N, 1, H, W)} normalised gray; output:
 * <ul>
 *   <li>{@link HeadKind#EMBEDDING}: {@code (N, D)} L2-normalised pool5 features;</li>
 *   <li>{@link HeadKind#SEGMENTATION}: {@code (N, classes, H, W)} logits, bilinearly upsampled to the input;</li>
 *   <li>{@link HeadKind#COLORIZATION}: {@code (N, bins, ceil(H/4), ceil(W/4))} logits.</li>
 * </ul>
 * The backbone and the head are saved separately ({@link #saveBackbone}, {@link #saveHead}) so that a
 * backbone trained under one head can be loaded under another.
 */
public final class MmtuneNet extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Bilinear in DJL's interpolation-mode numbering (nearest 0, bilinear 1, area 2, bicubic 3). */
    private static final int BILINEAR = 1;

    private final NetSpec spec;
    private final HeadKind kind;
    private final int outputs;
    private final Block backbone;
    private final Block head;
    private volatile boolean batchNormFrozen;

    private MmtuneNet(NetSpec spec, HeadKind kind, int outputs) {
        super(VERSION);
        this.spec = spec;
        this.kind = kind;
        this.outputs = outputs;
        this.backbone = addChildBlock("backbone", Backbones.build(spec));
        this.head = addChildBlock("head", buildHead(spec, kind, outputs));
    }

    /** The M&M network: backbone + pool5 embedding. */
    public static MmtuneNet embedding(NetSpec spec) {
        return new MmtuneNet(spec, HeadKind.EMBEDDING, 0);
    }

    /** The FCN segmentation network with {@code numClasses} outputs. */
    public static MmtuneNet segmentation(NetSpec spec, int numClasses) {
        return new MmtuneNet(spec, HeadKind.SEGMENTATION, numClasses);
    }

    /** The colorization network with {@code bins} ab classes. */
    public static MmtuneNet colorization(NetSpec spec, int bins) {
        return new MmtuneNet(spec, HeadKind.COLORIZATION, bins);
    }

    public NetSpec spec() { return spec; }

    public HeadKind kind() { return kind; }

    /** Classes (segmentation) or bins (colorization); 0 for the embedding. */
    public int outputs() { return outputs; }

    public Block backbone() { return backbone; }

    /**
     * With {@code true}, the backbone's batch norm runs in inference mode even in training forward passes: it
     * normalises with its running statistics and leaves them unchanged, while its scale and shift (and every
     * other parameter) still get gradients. Used by M&amp;M tuning, whose zero-padded patches would otherwise
     * replace the statistics learned on whole images.
     */
    public MmtuneNet freezeBatchNorm(boolean frozen) {
        this.batchNormFrozen = frozen;
        return this;
    }

    public boolean batchNormFrozen() { return batchNormFrozen; }

    public Block head() { return head; }

    private static Block buildHead(NetSpec s, HeadKind kind, int outputs) {
        SequentialBlock h = new SequentialBlock();
        switch (kind) {
            case EMBEDDING -> {
                h.add(Backbones.pool5(s));
                h.add(x -> new NDList(l2Normalize(x.singletonOrThrow().reshape(x.singletonOrThrow().getShape().get(0), -1))));
            }
            case SEGMENTATION -> {
                Backbones.convBnRelu(h, s.width(1024), 3, 1, 1);
                Backbones.convBnRelu(h, s.width(1024), 1, 1, 0);
                h.add(Conv2d.builder().setFilters(outputs).setKernelShape(new Shape(1, 1)).build());
            }
            case COLORIZATION -> {
                Backbones.convBnRelu(h, s.width(256), 3, 1, 1);
                h.add(Conv2d.builder().setFilters(outputs).setKernelShape(new Shape(1, 1)).build());
            }
            default -> throw new IllegalStateException();
        }
        return h;
    }

    /** Rows divided by their L2 norm (with a small epsilon). */
    public static NDArray l2Normalize(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).add(1e-12f).sqrt();
        return x.div(norm);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDList feats = backbone.forward(ps, inputs, training && !batchNormFrozen, params);
        NDArray out = head.forward(ps, feats, training, params).singletonOrThrow();
        if (kind == HeadKind.SEGMENTATION) {
            out = out.getNDArrayInternal().interpolation(new long[] {h, w}, BILINEAR, false);
        } else if (kind == HeadKind.COLORIZATION) {
            out = out.getNDArrayInternal().interpolation(new long[] {(h + 3) / 4, (w + 3) / 4}, BILINEAR, false);
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long n = in.get(0);
        switch (kind) {
            case SEGMENTATION:
                return new Shape[] {new Shape(n, outputs, in.get(2), in.get(3))};
            case COLORIZATION:
                return new Shape[] {new Shape(n, outputs, (in.get(2) + 3) / 4, (in.get(3) + 3) / 4)};
            default:
                Shape f = backbone.getOutputShapes(inputShapes)[0];
                long side = Backbones.pool5Side(spec, f.get(2));
                long sideW = Backbones.pool5Side(spec, f.get(3));
                return new Shape[] {new Shape(n, f.get(1) * side * sideW)};
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] featureShapes = backbone.getOutputShapes(inputShapes);
        head.initialize(manager, dataType, featureShapes);
    }

    /** Writes the backbone's parameters (and batch-norm statistics). */
    public void saveBackbone(DataOutputStream out) throws IOException {
        backbone.saveParameters(out);
    }

    /** Writes the head's parameters. */
    public void saveHead(DataOutputStream out) throws IOException {
        head.saveParameters(out);
    }

    /**
     * Reads backbone parameters written by {@link #saveBackbone} into this (initialised) network,
     * copying values into the existing arrays so that trainers and gradients stay attached.
     */
    public void loadBackbone(DataInputStream in) throws IOException {
        ParameterCopy.loadInto(backbone, Backbones.build(spec), in);
    }

    /** Reads head parameters written by {@link #saveHead} (same head kind and outputs). */
    public void loadHead(DataInputStream in) throws IOException {
        ParameterCopy.loadInto(head, buildHead(spec, kind, outputs), in);
    }
}
