package org.mmtune.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ADE20K as the MIT Scene Parsing benchmark (SceneParse150) ships it: {@code ADEChallengeData2016/} with
 * {@code images/training}, {@code images/validation} (JPEG) and {@code annotations/training},
 * {@code annotations/validation} (8-bit PNG, same file stems).
 *
 * <p>Labels: raw value 0 is "other/unlabelled" and is void (ignored by losses, sampling and metrics, as in the
 * benchmark's evaluation and MMSegmentation's {@code reduce_zero_label}); raw value k (1-150) is class k-1,
 * the k-th row of the benchmark's {@code objectInfo150} list, named by the first name of that row (e.g. row
 * 2 "building, edifice" is class 1 "building"). Raw values 151-254 are no class: read as void and counted
 * (255 is void too, silently).
 * Splits: {@code training} is {@code train}, {@code validation} is {@code val}. The names and the default
 * colours ({@link Palette}) are built in; ADE20K has no background class.
 */
final class Ade20kFormat {

    static final String FOLDER = "ADEChallengeData2016";
    static final List<String> NAMES = ClassNames.resource("ade20k-classes.txt");
    /** Benchmark folder name → mmtune split name. */
    static final Map<String, String> SPLITS = Map.of("training", "train", "validation", "val");

    private Ade20kFormat() {
    }

    /** The SceneParsing folder: {@code folder} itself or {@code folder/ADEChallengeData2016}; null if neither. */
    static Path find(Path folder) {
        for (Path c : List.of(folder, folder.resolve(FOLDER))) {
            if (Files.isDirectory(c.resolve("images")) && Files.isDirectory(c.resolve("annotations"))
                    && (Files.isDirectory(c.resolve("images").resolve("training"))
                    || Files.isDirectory(c.resolve("images").resolve("validation")))) {
                return c;
            }
        }
        return null;
    }

    static SegmentationDataset open(Path root) throws DatasetException {
        List<ClassInfo> classes = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            classes.add(new ClassInfo(i, NAMES.get(i), Palette.color(i)));
        }
        Map<String, List<ImagePair>> splits = new LinkedHashMap<>();
        Map<String, List<DatasetProblem>> problems = new LinkedHashMap<>();
        for (String folder : List.of("training", "validation")) {
            Path images = root.resolve("images").resolve(folder);
            Path labels = root.resolve("annotations").resolve(folder);
            if (!Files.isDirectory(images) && !Files.isDirectory(labels)) {
                continue;
            }
            String split = SPLITS.get(folder);
            PairLists.SplitBuilder sb = new PairLists.SplitBuilder(split);
            if (!Files.isDirectory(images)) {
                sb.problem(DatasetProblem.Kind.MISSING, PairLists.rel(root, images),
                        "folder not found (annotations/" + folder + " has no images)");
            } else if (!Files.isDirectory(labels)) {
                sb.problem(DatasetProblem.Kind.MISSING, PairLists.rel(root, labels),
                        "folder not found (images/" + folder + " has no annotations)");
            } else {
                PairLists.pairFolders(root, images, labels, null, sb);
            }
            splits.put(split, sb.pairs);
            problems.put(split, sb.problems);
        }
        Path name = root.getFileName();
        return new SegmentationDataset(name == null ? "ade20k" : name.toString(), DatasetFormat.ADE20K, root,
                classes, 255, -1, LabelEncoding.INDEX, DatasetDescriptor.reduceZeroLabelMap(NAMES.size(), 255),
                splits, problems);
    }
}
