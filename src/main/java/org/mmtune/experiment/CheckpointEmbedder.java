package org.mmtune.experiment;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mmtune.data.Sample;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.mix.Patch;
import org.mmtune.mix.PatchCropper;
import org.mmtune.nn.InputNorm;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.Stage;

/**
 * The network's embedding of a batch's patches, from a checkpoint of the pipeline: the backbone is
 * loaded into the M&M network (backbone + pool5, L2-normalised), and the patches' gray crops (cut by
 * the pipeline's own {@link PatchCropper} at the batch's output size) go through it in batches. Used from
 * background threads, one at a time; {@link #close()} frees the native memory.
 */
public final class CheckpointEmbedder implements AutoCloseable {

    private static final int BATCH = 64;

    private final Path params;
    private final Model model;
    private final MmtuneNet net;

    private CheckpointEmbedder(Path params, Model model, MmtuneNet net) {
        this.params = params;
        this.model = model;
        this.net = net;
    }

    /** Loads the backbone of a {@code .params} checkpoint (any head) into an embedding network. */
    public static CheckpointEmbedder load(Path params) throws IOException {
        EmbeddingModel m = EmbeddingModel.load(params, "mmtune-ui-embedding");
        return new CheckpointEmbedder(params, m.model(), m.net());
    }

    /**
     * The checkpoint a run folder offers for embeddings: its M&M checkpoint, else the proxy one, else the
     * fine-tuned one; null when it has none.
     */
    public static Path checkpointOfRun(Path runDir) {
        Path dir = RunFiles.checkpoints(runDir);
        for (Stage s : List.of(Stage.MM, Stage.PROXY, Stage.FINETUNE)) {
            Path p = Checkpoints.paramsFile(dir, s);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public Path params() {
        return params;
    }

    /** How the UI names these embeddings. */
    public String describe() {
        return "network embedding: " + params.getParent().getParent().getFileName() + "/" + params.getFileName()
                + " (" + net.spec().backbone().id() + " ÷" + net.spec().widthDivisor()
                + ", pool5, L2-normalised)";
    }

    /** One embedding row per patch; {@code samples.get(i)} is the image of {@code patches.get(i)}. */
    public synchronized float[][] embed(List<Sample> samples, List<Patch> patches, int outSize) {
        int side = Math.max(outSize, net.spec().minInputSize());
        PatchCropper cropper = new PatchCropper(side);
        int n = patches.size();
        float[][] out = new float[n][];
        int px = side * side;
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            float[] buf = new float[b * px];
            for (int i = 0; i < b; i++) {
                InputNorm.normalize(cropper.cropGray(samples.get(start + i), patches.get(start + i)), buf, i * px);
            }
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray x = sub.create(buf, new Shape(b, 1, side, side));
                NDArray e = net.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
                int dim = (int) (e.size() / b);
                float[] flat = e.toFloatArray();
                for (int i = 0; i < b; i++) {
                    float[] row = new float[dim];
                    System.arraycopy(flat, i * dim, row, 0, dim);
                    out[start + i] = row;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
