package org.mmtune.data;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A segmentation dataset: named splits of image/label pairs, its classes, an ignore (void) index and
 * an optional background class. Immutable; opened by {@link DatasetLoader}.
 */
public final class SegmentationDataset {

    private final String name;
    private final DatasetFormat format;
    private final Path root;
    private final List<ClassInfo> classes;
    private final int ignoreIndex;
    private final int backgroundIndex;
    private final LabelEncoding labelEncoding;
    /** Raw label value → class index (or ignoreIndex); null means identity. */
    private final int[] labelMap;
    private final Map<String, List<ImagePair>> splits;
    private final Map<String, List<DatasetProblem>> problems;
    private final int ignoreColor;

    public SegmentationDataset(String name, DatasetFormat format, Path root, List<ClassInfo> classes,
                               int ignoreIndex, int backgroundIndex, LabelEncoding labelEncoding,
                               int[] labelMap, Map<String, List<ImagePair>> splits) {
        this(name, format, root, classes, ignoreIndex, backgroundIndex, labelEncoding, labelMap, splits, Map.of());
    }

    /**
     * @param problems split → problems found while listing it (missing files, refused paths, malformed
     *                 list lines); the faulty entries are not among the pairs
     */
    public SegmentationDataset(String name, DatasetFormat format, Path root, List<ClassInfo> classes,
                               int ignoreIndex, int backgroundIndex, LabelEncoding labelEncoding,
                               int[] labelMap, Map<String, List<ImagePair>> splits,
                               Map<String, List<DatasetProblem>> problems) {
        this(name, format, root, classes, ignoreIndex, backgroundIndex, labelEncoding, labelMap, splits, problems, -1);
    }

    /**
     * @param ignoreColor for RGB-encoded labels, the colour (0xRRGGBB) that means void, or -1 for none;
     *                    other colours of no class are void too, but counted as problems
     */
    public SegmentationDataset(String name, DatasetFormat format, Path root, List<ClassInfo> classes,
                               int ignoreIndex, int backgroundIndex, LabelEncoding labelEncoding,
                               int[] labelMap, Map<String, List<ImagePair>> splits,
                               Map<String, List<DatasetProblem>> problems, int ignoreColor) {
        this.name = Objects.requireNonNull(name);
        this.format = Objects.requireNonNull(format);
        this.root = Objects.requireNonNull(root);
        this.classes = List.copyOf(classes);
        this.ignoreIndex = ignoreIndex;
        this.backgroundIndex = backgroundIndex;
        this.labelEncoding = Objects.requireNonNull(labelEncoding);
        this.labelMap = labelMap == null ? null : labelMap.clone();
        Map<String, List<ImagePair>> copy = new LinkedHashMap<>();
        splits.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.splits = Collections.unmodifiableMap(copy);
        Map<String, List<DatasetProblem>> probs = new LinkedHashMap<>();
        problems.forEach((k, v) -> probs.put(k, List.copyOf(v)));
        this.problems = Collections.unmodifiableMap(probs);
        this.ignoreColor = ignoreColor;
    }

    public String name() { return name; }

    public DatasetFormat format() { return format; }

    /** The folder the dataset was opened from. */
    public Path root() { return root; }

    /** The real classes, index 0..n-1 (void is not a class). */
    public List<ClassInfo> classes() { return classes; }

    public int numClasses() { return classes.size(); }

    /** Label value that means "void": ignored by losses, sampling and metrics. */
    public int ignoreIndex() { return ignoreIndex; }

    /** Index of the background class, or -1 when the dataset has none (CamVid, Cityscapes). */
    public int backgroundIndex() { return backgroundIndex; }

    public boolean hasBackground() { return backgroundIndex >= 0; }

    public LabelEncoding labelEncoding() { return labelEncoding; }

    /** Raw label value → class index table (256 entries), or null for identity. */
    public int[] labelMap() { return labelMap == null ? null : labelMap.clone(); }

    /** Split name → its pairs, in a stable order. */
    public Map<String, List<ImagePair>> splits() { return splits; }

    public List<String> splitNames() { return List.copyOf(splits.keySet()); }

    public boolean hasSplit(String split) { return splits.containsKey(split); }

    /** The pairs of a split; throws {@link IllegalArgumentException} naming the known splits otherwise. */
    public List<ImagePair> pairs(String split) {
        List<ImagePair> p = splits.get(split);
        if (p == null) {
            throw new IllegalArgumentException("dataset " + name + " has no split '" + split
                    + "' (it has: " + String.join(", ", splits.keySet()) + ")");
        }
        return p;
    }

    public ClassInfo classInfo(int index) { return classes.get(index); }

    /** For RGB-encoded labels: the colour (0xRRGGBB) meaning void, or -1 when none is declared. */
    public int ignoreColor() { return ignoreColor; }

    /** Problems found while listing the splits (split → problems); the faulty entries are left out. */
    public Map<String, List<DatasetProblem>> problems() { return problems; }

    /** Problems found while listing one split (empty when none). */
    public List<DatasetProblem> problems(String split) { return problems.getOrDefault(split, List.of()); }

    @Override
    public String toString() {
        return name + " (" + format + ", " + classes.size() + " classes, splits " + splits.keySet() + ")";
    }
}
