package org.mmtune.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code dataset.json} descriptor: describes any segmentation dataset. Unknown keys and bad values are
 * errors naming the key. Schema (docs/datasets.md describes every key):
 *
 * <pre>
 * {
 *   "name": "my-data",                       optional, default: the folder name
 *   "description": "free text",              optional
 *   "classes": [ {"name": "road", "color": "#804080", "value": 3}, ... ]
 *                                            index = position; color "#rrggbb" or [r,g,b], optional
 *                                            (default: {@link Palette}); value = raw label value of
 *                                            the class (default: its index)
 *   "classNames": "names.txt",               instead of "classes": one name per line, default colours
 *   "ignoreIndex": 255,                      optional (default 255), must not be a class index
 *   "background": "other",                   class name or index of the background class; null/absent = none
 *   "labelEncoding": "index",                "index" | "palette" | "rgb" (default "index")
 *   "reduceZeroLabel": true,                 optional: raw 0 is void, raw k is class k-1 (ADE20K, MMSeg)
 *   "ignoreColor": "#000000",                optional, rgb encoding only: the colour meaning void
 *   "splits": {                              optional when the folder has MMSeg's img_dir/ + ann_dir/
 *     "train": {"images": "train/images", "labels": "train/labels", "labelSuffix": "_mask"},
 *     "val":   {"list": "val.txt"}           lines "image label", paths relative to the dataset folder
 *   }
 * }
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetDescriptor(String name, String description, List<ClassSpec> classes, String classNames,
                                Integer ignoreIndex, JsonNode background, String labelEncoding,
                                Boolean reduceZeroLabel, JsonNode ignoreColor, Map<String, SplitSpec> splits) {

    /** File name of the descriptor. */
    public static final String FILE_NAME = "dataset.json";

    /** One class: name, display colour (optional) and (optionally) its raw label value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassSpec(String name, JsonNode color, Integer value) {
    }

    /** A split: a list file, or a folder of images with a folder of labels. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SplitSpec(String list, String images, String labels, String labelSuffix) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** Parses a descriptor file; errors name the file and the key. */
    public static DatasetDescriptor read(Path file) throws DatasetException {
        try {
            DatasetDescriptor d = MAPPER.readValue(Files.readAllBytes(file), DatasetDescriptor.class);
            if (d == null) {
                throw new DatasetException(file + ": empty descriptor");
            }
            return d;
        } catch (UnrecognizedPropertyException e) {
            throw new DatasetException(file + ": unknown key '" + path(e) + "'", e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException jp && !(jp instanceof JsonMappingException)) {
                throw notJson(file, jp);
            }
            String p = path(e);
            throw new DatasetException(file + ": " + (p.isEmpty() ? "" : "key '" + p + "': ")
                    + "bad value (" + e.getOriginalMessage().split("\n")[0].replaceAll("`[a-z.]+\\.", "`") + ")", e);
        } catch (JsonProcessingException e) {
            throw notJson(file, e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
    }

    private static DatasetException notJson(Path file, JsonProcessingException e) {
        String msg = e.getOriginalMessage().split("\n")[0].replaceAll(" \\(for .*", "");
        return new DatasetException(file + ": not valid JSON (" + msg
                + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() : "") + ")", e);
    }

    /** Writes this descriptor as pretty JSON (used by the sample-data generator). */
    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Opens the dataset the descriptor in {@code root} describes. */
    static SegmentationDataset open(Path root) throws DatasetException {
        Path file = root.resolve(FILE_NAME);
        DatasetDescriptor d = read(file);
        String f = file.toString();
        List<ClassSpec> specs = d.classes;
        if (d.classNames != null) {
            if (d.classes != null) {
                throw new DatasetException(f + ": give either 'classes' or 'classNames', not both");
            }
            Path namesFile = inside(f, "classNames", root.toAbsolutePath().normalize(), d.classNames);
            if (!Files.isRegularFile(namesFile)) {
                throw new DatasetException(f + ": key 'classNames': file '" + d.classNames + "' not found");
            }
            specs = ClassNames.read(namesFile).stream().map(n -> new ClassSpec(n, null, null)).toList();
        }
        if (specs == null || specs.isEmpty()) {
            throw new DatasetException(f + ": key 'classes' (or 'classNames') is missing or empty");
        }
        if (specs.size() > 255) {
            throw new DatasetException(f + ": key '" + (d.classes == null ? "classNames" : "classes")
                    + "': at most 255 classes (found " + specs.size() + ")");
        }
        int ignore = d.ignoreIndex == null ? 255 : d.ignoreIndex;
        if (ignore < 0 || ignore > 255) {
            throw new DatasetException(f + ": key 'ignoreIndex': must be 0-255 (found " + ignore + ")");
        }
        if (ignore < specs.size()) {
            throw new DatasetException(f + ": key 'ignoreIndex': " + ignore + " is the index of class '"
                    + specs.get(ignore).name() + "'; void must not be a class");
        }
        boolean reduceZero = Boolean.TRUE.equals(d.reduceZeroLabel);
        List<ClassInfo> classes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int[] map = null;
        for (int i = 0; i < specs.size(); i++) {
            ClassSpec c = specs.get(i);
            String key = "classes[" + i + "]";
            if (c == null || c.name() == null || c.name().isBlank()) {
                throw new DatasetException(f + ": key '" + key + ".name' is missing");
            }
            if (!names.add(c.name())) {
                throw new DatasetException(f + ": key '" + key + ".name': class '" + c.name() + "' appears twice");
            }
            int rgb = c.color() == null || c.color().isNull() ? Palette.color(i) : parseColor(f, key + ".color", c.color());
            classes.add(new ClassInfo(i, c.name(), rgb));
            if (c.value() != null && reduceZero) {
                throw new DatasetException(f + ": key '" + key + ".value': not allowed with \"reduceZeroLabel\": true "
                        + "(raw value k is class k-1)");
            }
            if (c.value() != null && c.value() != i) {
                if (map == null) {
                    map = new int[256];
                    java.util.Arrays.fill(map, -1);
                }
            }
        }
        if (reduceZero) {
            map = reduceZeroLabelMap(specs.size(), ignore);
        } else if (map != null) {
            for (int i = 0; i < specs.size(); i++) {
                Integer v = specs.get(i).value();
                int raw = v == null ? i : v;
                if (raw < 0 || raw > 255) {
                    throw new DatasetException(f + ": key 'classes[" + i + "].value': must be 0-255 (found " + raw + ")");
                }
                if (map[raw] >= 0) {
                    throw new DatasetException(f + ": key 'classes[" + i + "].value': value " + raw
                            + " is already used by class '" + specs.get(map[raw]).name() + "'");
                }
                map[raw] = i;
            }
            if (map[ignore] < 0) {
                map[ignore] = ignore;
            }
            for (int v = 0; v < 256; v++) {
                if (map[v] < 0) {
                    map[v] = 256; // not a class: read as void and counted
                }
            }
        }
        int background = -1;
        if (d.background != null && !d.background.isNull()) {
            background = parseBackground(f, d.background, classes);
        }
        LabelEncoding enc;
        String encName = d.labelEncoding == null ? "index" : d.labelEncoding.toLowerCase(Locale.ROOT);
        switch (encName) {
            case "index" -> enc = LabelEncoding.INDEX;
            case "palette" -> enc = LabelEncoding.PALETTE;
            case "rgb" -> enc = LabelEncoding.RGB;
            default -> throw new DatasetException(f + ": key 'labelEncoding': '" + d.labelEncoding
                    + "' is not one of index, palette, rgb");
        }
        if (reduceZero && enc == LabelEncoding.RGB) {
            throw new DatasetException(f + ": key 'reduceZeroLabel' does not apply to \"labelEncoding\": \"rgb\" "
                    + "(colour labels name their classes by colour)");
        }
        int ignoreColor = -1;
        if (d.ignoreColor != null && !d.ignoreColor.isNull()) {
            if (enc != LabelEncoding.RGB) {
                throw new DatasetException(f + ": key 'ignoreColor' only applies to \"labelEncoding\": \"rgb\"");
            }
            ignoreColor = parseColor(f, "ignoreColor", d.ignoreColor);
        }
        Path normRoot = root.toAbsolutePath().normalize();
        Map<String, SplitSpec> splitSpecs = d.splits;
        if (splitSpecs == null && MmsegLayout.find(normRoot)) {
            splitSpecs = MmsegLayout.splits(f, normRoot);
        }
        if (splitSpecs == null || splitSpecs.isEmpty()) {
            throw new DatasetException(f + ": key 'splits' is missing or empty (and the folder has no "
                    + MmsegLayout.IMAGES + "/ + " + MmsegLayout.LABELS + "/ to take them from)");
        }
        Map<String, List<ImagePair>> splits = new LinkedHashMap<>();
        Map<String, List<DatasetProblem>> problems = new LinkedHashMap<>();
        for (Map.Entry<String, SplitSpec> e : splitSpecs.entrySet()) {
            String split = e.getKey();
            SplitSpec s = e.getValue();
            String key = "splits." + split;
            if (split.isBlank() || !split.matches("[A-Za-z0-9_.-]+")) {
                throw new DatasetException(f + ": key '" + key + "': split names use letters, digits, '_', '-', '.'");
            }
            if (s == null) {
                throw new DatasetException(f + ": key '" + key + "' is empty");
            }
            PairLists.SplitBuilder sb = new PairLists.SplitBuilder(split);
            if (s.list() != null) {
                if (s.images() != null || s.labels() != null || s.labelSuffix() != null) {
                    throw new DatasetException(f + ": key '" + key + "': give either 'list' or 'images' + 'labels', not both");
                }
                Path list = inside(f, key + ".list", normRoot, s.list());
                if (!Files.isRegularFile(list)) {
                    throw new DatasetException(f + ": key '" + key + ".list': file '" + s.list() + "' not found");
                }
                PairLists.readPairList(normRoot, normRoot, list, sb);
            } else if (s.images() != null && s.labels() != null) {
                Path images = inside(f, key + ".images", normRoot, s.images());
                Path labels = inside(f, key + ".labels", normRoot, s.labels());
                if (!Files.isDirectory(images)) {
                    throw new DatasetException(f + ": key '" + key + ".images': folder '" + s.images() + "' not found");
                }
                if (!Files.isDirectory(labels)) {
                    throw new DatasetException(f + ": key '" + key + ".labels': folder '" + s.labels() + "' not found");
                }
                PairLists.pairFolders(normRoot, images, labels, s.labelSuffix(), sb);
            } else {
                throw new DatasetException(f + ": key '" + key + "': needs 'list', or 'images' and 'labels'");
            }
            splits.put(split, sb.pairs);
            problems.put(split, sb.problems);
        }
        String name = d.name == null || d.name.isBlank() ? folderName(root) : d.name;
        return new SegmentationDataset(name, DatasetFormat.DESCRIPTOR, root, classes, ignore, background, enc,
                map, splits, problems, ignoreColor);
    }

    /**
     * Raw label value → class index for "raw 0 is void, raw k is class k-1" (ADE20K's SceneParsing labels,
     * MMSegmentation's {@code reduce_zero_label}): values above the classes are not classes (void, counted),
     * except {@code ignore} itself when it lies above them, which stays void silently.
     */
    static int[] reduceZeroLabelMap(int numClasses, int ignore) {
        int[] map = new int[256];
        java.util.Arrays.fill(map, 256);
        map[0] = ignore;
        for (int k = 1; k <= numClasses && k < 256; k++) {
            map[k] = k - 1;
        }
        if (ignore > numClasses) {
            map[ignore] = ignore;
        }
        return map;
    }

    private static String folderName(Path root) {
        Path n = root.toAbsolutePath().normalize().getFileName();
        return n == null ? "dataset" : n.toString();
    }

    private static Path inside(String f, String key, Path root, String entry) throws DatasetException {
        PairLists.SplitBuilder probe = new PairLists.SplitBuilder("-");
        Path p = PairLists.resolveInside(root, root, entry, probe, key);
        if (p == null) {
            throw new DatasetException(f + ": key '" + key + "': " + probe.problems.get(0).message());
        }
        return p;
    }

    private static int parseBackground(String f, JsonNode n, List<ClassInfo> classes) throws DatasetException {
        if (n.isInt()) {
            int i = n.asInt();
            if (i < 0 || i >= classes.size()) {
                throw new DatasetException(f + ": key 'background': " + i + " is not a class index (0-"
                        + (classes.size() - 1) + ")");
            }
            return i;
        }
        if (n.isTextual()) {
            for (ClassInfo c : classes) {
                if (c.name().equals(n.asText())) {
                    return c.index();
                }
            }
            throw new DatasetException(f + ": key 'background': no class named '" + n.asText() + "'");
        }
        throw new DatasetException(f + ": key 'background': expected a class name, a class index or null");
    }

    /** Parses {@code "#rrggbb"} or {@code [r, g, b]}. */
    static int parseColor(String f, String key, JsonNode n) throws DatasetException {
        if (n.isTextual()) {
            String s = n.asText().strip();
            if (s.matches("#?[0-9a-fA-F]{6}")) {
                return Integer.parseInt(s.startsWith("#") ? s.substring(1) : s, 16);
            }
        } else if (n.isArray() && n.size() == 3) {
            int rgb = 0;
            for (JsonNode c : n) {
                if (!c.isInt() || c.asInt() < 0 || c.asInt() > 255) {
                    throw new DatasetException(f + ": key '" + key + "': colour components must be integers 0-255");
                }
                rgb = (rgb << 8) | c.asInt();
            }
            return rgb;
        }
        throw new DatasetException(f + ": key '" + key + "': expected a colour \"#rrggbb\" or [r, g, b], found " + n);
    }
}
