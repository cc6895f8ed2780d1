package org.mmtune.experiment;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.train.Checkpoints;

/**
 * A checkpoint's backbone (any head) loaded into an embedding network for inference: the one loading step
 * behind {@link CheckpointEmbedder} (patches) and {@link ImageEmbedder} (whole images). Close the model.
 */
record EmbeddingModel(Model model, MmtuneNet net) {

    static EmbeddingModel load(Path params, String name) throws IOException {
        Checkpoints.Header h = Checkpoints.header(params);
        MmtuneNet net = MmtuneNet.embedding(h.spec());
        Model model = Model.newInstance(name);
        try {
            model.setBlock(net);
            int side = Math.max(128, h.spec().minInputSize());
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, side, side));
            Checkpoints.loadBackbone(params, net);
            return new EmbeddingModel(model, net);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
