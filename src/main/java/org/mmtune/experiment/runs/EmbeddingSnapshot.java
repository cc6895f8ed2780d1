package org.mmtune.experiment.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code <run>/embeddings/mm-NNNNNN.json}: the M&M batch's patch embeddings projected to 2-D.
 *
 * @param iteration the M&M iteration
 * @param labels    class of each point
 * @param points    2-D coordinates, one {x, y} per patch
 * @param patches   where each patch came from (same order as points)
 */
public record EmbeddingSnapshot(int iteration, int[] labels, double[][] points, List<PatchRef> patches) {

    private static final Pattern NAME = RunFiles.EMBEDDING_SNAPSHOT;

    /**
     * Where a point's patch lies: {@code image} is the image id (or path) as written by the pipeline,
     * {@code cx, cy} its centre pixel and {@code size} its side in pixels.
     */
    public record PatchRef(String image, int cx, int cy, int size, int label) {
    }

    /** The snapshot files of a run, ordered by iteration. */
    public static List<Path> list(Path runDir) throws IOException {
        Path dir = RunFiles.embeddings(runDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Integer.compare(iterationOf(a), iterationOf(b)))
                    .toList();
        }
    }

    /** The iteration encoded in a snapshot file name, or -1. */
    public static int iterationOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    public static EmbeddingSnapshot read(Path file) throws RunFolderException {
        JsonNode n;
        try {
            n = RunJson.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new RunFolderException(file + ": not readable as JSON", e);
        }
        JsonNode pts = n.get("points");
        JsonNode lab = n.get("labels");
        if (pts == null || !pts.isArray() || lab == null || !lab.isArray() || lab.size() != pts.size()) {
            throw new RunFolderException(file + ": \"points\" and \"labels\" must be arrays of the same length");
        }
        double[][] points = new double[pts.size()][2];
        int[] labels = new int[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            JsonNode p = pts.get(i);
            if (!p.isArray() || p.size() < 2) {
                throw new RunFolderException(file + ": point " + i + " is not [x, y]");
            }
            points[i][0] = p.get(0).asDouble();
            points[i][1] = p.get(1).asDouble();
            labels[i] = lab.get(i).asInt();
        }
        List<PatchRef> patches = new ArrayList<>();
        JsonNode ps = n.get("patches");
        if (ps != null && ps.isArray()) {
            for (JsonNode p : ps) {
                Integer cx = RunJson.integer(p, "cx");
                Integer cy = RunJson.integer(p, "cy");
                Integer size = RunJson.integer(p, "size");
                Integer label = RunJson.integer(p, "label");
                String image = RunJson.text(p, "image");
                if (image == null) {
                    image = RunJson.text(p, "imageId");
                }
                patches.add(new PatchRef(image, cx == null ? 0 : cx, cy == null ? 0 : cy,
                        size == null ? 0 : size, label == null ? -1 : label));
            }
        }
        Integer it = RunJson.integer(n, "iteration");
        return new EmbeddingSnapshot(it == null ? iterationOf(file) : it, labels, points, List.copyOf(patches));
    }
}
