package org.mmtune.experiment.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run's {@code results.json}: the evaluation on the validation split.
 *
 * @param mIoU          mean IoU over the classes, in [0, 1]
 * @param pixelAccuracy share of correctly labelled non-void pixels, in [0, 1]
 * @param perClass      IoU of each class (NaN when a class is absent from both prediction and truth)
 * @param confusion     rows = truth, columns = prediction, pixel counts (empty if not written)
 */
public record RunResults(double mIoU, double pixelAccuracy, List<ClassIoU> perClass, long[][] confusion) {


    /** The IoU of one class. */
    public record ClassIoU(int index, String name, double iou) {
    }

    /** Reads {@code <run>/results.json}; empty if there is none yet. */
    public static Optional<RunResults> read(Path runDir) throws RunFolderException {
        Path file = RunFiles.results(runDir);
        JsonNode n;
        try {
            n = RunJson.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RunFolderException(RunJson.problem(file, e), e);
        }
        Double miou = RunJson.number(n, "mIoU");
        if (miou == null) {
            throw new RunFolderException(file + ": key \"mIoU\" missing or not a number");
        }
        Double acc = RunJson.number(n, "pixelAccuracy");
        List<ClassIoU> per = new ArrayList<>();
        JsonNode pc = n.get("perClass");
        if (pc != null && pc.isArray()) {
            int i = 0;
            for (JsonNode c : pc) {
                Integer idx = RunJson.integer(c, "index");
                Double iou = RunJson.number(c, "iou");
                String name = RunJson.text(c, "name");
                per.add(new ClassIoU(idx == null ? i : idx, name == null ? "class " + i : name,
                        iou == null ? Double.NaN : iou));
                i++;
            }
        }
        long[][] conf = new long[0][];
        JsonNode cm = n.get("confusion");
        if (cm != null && cm.isArray()) {
            conf = new long[cm.size()][];
            for (int r = 0; r < cm.size(); r++) {
                JsonNode row = cm.get(r);
                conf[r] = new long[row.size()];
                for (int c = 0; c < row.size(); c++) {
                    conf[r][c] = row.get(c).asLong();
                }
            }
        }
        return Optional.of(new RunResults(miou, acc == null ? Double.NaN : acc, List.copyOf(per), conf));
    }
}
