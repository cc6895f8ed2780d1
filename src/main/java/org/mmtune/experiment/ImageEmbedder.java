package org.mmtune.experiment;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MmtuneNet;

/**
 * The pool5 embedding of a whole image under a checkpoint's backbone: the image's gray (BT.601 luma), the
 * pipeline's input normalisation ({@link InputNorm}), the backbone with batch norm in inference mode (running
 * statistics), the embedding head's pool5, flattened C·H·W and L2-normalised as the M&M stage does.
 */
public final class ImageEmbedder implements AutoCloseable {

    /** An embedding and the pool5 map's shape {@code [C, H, W]}. */
    public record Embedding(long[] shape, float[] values) {
    }

    private final Model model;
    private final MmtuneNet net;

    private ImageEmbedder(Model model, MmtuneNet net) {
        this.model = model;
        this.net = net;
    }

    /** Loads the backbone of a {@code .params} checkpoint (any head). */
    public static ImageEmbedder load(Path params) throws IOException {
        EmbeddingModel m = EmbeddingModel.load(params, "mmtune-embed");
        return new ImageEmbedder(m.model(), m.net());
    }

    /** The smallest side the backbone accepts. */
    public int minInputSize() {
        return net.spec().minInputSize();
    }

    /** Embeds a gray image ({@code width·height} luma bytes, row-major). */
    public synchronized Embedding embed(byte[] gray, int width, int height) {
        if (width < minInputSize() || height < minInputSize()) {
            throw new IllegalArgumentException("the image is " + width + "×" + height + ", the "
                    + net.spec().backbone().id() + " backbone needs at least " + minInputSize() + " px a side");
        }
        float[] buf = new float[width * height];
        InputNorm.normalize(gray, buf, 0);
        try (NDManager sub = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(sub, false);
            NDArray x = sub.create(buf, new Shape(1, 1, height, width));
            NDList feats = net.backbone().forward(ps, new NDList(x), false);
            Block pool = net.head().getChildren().get(0).getValue();
            NDArray p = pool.forward(ps, feats, false).singletonOrThrow();
            long[] shape = {p.getShape().get(1), p.getShape().get(2), p.getShape().get(3)};
            NDArray e = MmtuneNet.l2Normalize(p.reshape(1, -1));
            return new Embedding(shape, e.toFloatArray());
        }
    }

    /** BT.601 luma of interleaved RGB, rounded as the pipeline does ({@link org.mmtune.data.Sample#gray}). */
    public static byte[] gray(byte[] rgb, int width, int height) {
        byte[] g = new byte[width * height];
        for (int i = 0, j = 0; i < g.length; i++, j += 3) {
            g[i] = (byte) ((299 * (rgb[j] & 0xFF) + 587 * (rgb[j + 1] & 0xFF) + 114 * (rgb[j + 2] & 0xFF) + 500) / 1000);
        }
        return g;
    }

    @Override
    public void close() {
        model.close();
    }
}
