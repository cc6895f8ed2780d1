package org.mmtune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mmtune.data.DatasetException;
import org.mmtune.data.RgbImage;
import org.mmtune.data.SampleReader;
import org.mmtune.experiment.ImageEmbedder;
import org.mmtune.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmtune embed}: the L2-normalised pool5 embedding of a whole image under a checkpoint. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed a whole image with a checkpoint's backbone: gray, mmtune's input normalisation, batch "
                + "norm in inference mode, pool5 flattened C·H·W and L2-normalised. JSON: {\"shape\":[C,H,W],\"embedding\":[…]}.")
public final class EmbedCommand implements Callable<Integer>, LoadsLibtorch {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    private java.io.PrintWriter out() {
        return cmd.commandLine().getOut();
    }

    @Option(names = "--checkpoint", paramLabel = "CKPT.params", required = true, description = "mmtune checkpoint.")
    Path checkpoint;

    @Option(names = "--image", paramLabel = "IMG", required = true, description = "Image (PNG, JPEG, …).")
    Path image;

    @Option(names = "--json", paramLabel = "OUT", required = true, description = "JSON file to write.")
    Path json;

    @Override
    public void validate() {
        if (!Files.isRegularFile(checkpoint)) {
            throw new IllegalArgumentException(checkpoint + ": no such file");
        }
        if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException(image + ": no such file");
        }
    }

    @Override
    public Integer call() throws Exception {
        RgbImage rgb;
        try {
            rgb = SampleReader.readImage(image);
        } catch (DatasetException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ImageEmbedder.Embedding e;
        try (ImageEmbedder emb = ImageEmbedder.load(checkpoint)) {
            e = emb.embed(ImageEmbedder.gray(rgb.rgb(), rgb.width(), rgb.height()), rgb.width(), rgb.height());
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode shape = root.putArray("shape");
        for (long d : e.shape()) {
            shape.add(d);
        }
        ArrayNode values = root.putArray("embedding");
        for (float v : e.values()) {
            values.add(v);
        }
        AtomicFiles.writeString(json, m.writeValueAsString(root));
        out().println("embedding of " + image + ": shape [" + e.shape()[0] + ", " + e.shape()[1] + ", "
                + e.shape()[2] + "], " + e.values().length + " values → " + json);
        out().flush();
        return 0;
    }
}
