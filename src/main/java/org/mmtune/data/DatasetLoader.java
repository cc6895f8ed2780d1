package org.mmtune.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a dataset folder, detecting its format:
 * <ol>
 *   <li>a {@code dataset.json} descriptor in the folder → {@link DatasetFormat#DESCRIPTOR};</li>
 *   <li>{@code JPEGImages/} + {@code SegmentationClass[Aug]/} (in the folder, {@code VOC2012/} or
 *       {@code VOCdevkit/VOC2012/}) → {@link DatasetFormat#VOC};</li>
 *   <li>{@code leftImg8bit/} + {@code gtFine/} (in the folder or {@code cityscapes/}) →
 *       {@link DatasetFormat#CITYSCAPES};</li>
 *   <li>{@code images/training|validation} + {@code annotations/training|validation} (in the folder or
 *       {@code ADEChallengeData2016/}) → {@link DatasetFormat#ADE20K};</li>
 *   <li>{@code train/ + trainannot/} (or val, test) or {@code train.txt/val.txt/test.txt} list files →
 *       {@link DatasetFormat#CAMVID}.</li>
 * </ol>
 * MMSegmentation's {@code img_dir/ + ann_dir/} is opened through a {@code dataset.json} (the folders do not
 * name the classes); without one it is refused with a line saying what to add.
 * Listing problems (missing files, refused paths, malformed lines) are recorded in the dataset, not
 * thrown; only an unusable folder or descriptor throws.
 */
public final class DatasetLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

    private DatasetLoader() {
    }

    /** Opens the dataset in {@code folder}; throws a one-line {@link DatasetException} if it cannot. */
    public static SegmentationDataset open(Path folder) throws DatasetException {
        if (folder == null) {
            throw new DatasetException("no dataset folder given");
        }
        if (!Files.exists(folder)) {
            throw new DatasetException(folder + ": no such folder");
        }
        if (!Files.isDirectory(folder)) {
            if (folder.getFileName() != null && folder.getFileName().toString().equals(DatasetDescriptor.FILE_NAME)) {
                return open(folder.toAbsolutePath().getParent());
            }
            throw new DatasetException(folder + ": not a folder");
        }
        if (!Files.isReadable(folder)) {
            throw new DatasetException(folder + ": permission denied");
        }
        Path root = folder.toAbsolutePath().normalize();
        SegmentationDataset ds;
        if (Files.isRegularFile(root.resolve(DatasetDescriptor.FILE_NAME))) {
            ds = DatasetDescriptor.open(root);
        } else if (VocFormat.find(root) != null) {
            ds = VocFormat.open(VocFormat.find(root));
        } else if (CityscapesFormat.find(root) != null) {
            ds = CityscapesFormat.open(CityscapesFormat.find(root));
        } else if (Ade20kFormat.find(root) != null) {
            ds = Ade20kFormat.open(Ade20kFormat.find(root));
        } else if (CamVidFormat.detect(root)) {
            ds = CamVidFormat.open(root);
        } else if (MmsegLayout.find(root)) {
            throw MmsegLayout.needsDescriptor(folder);
        } else {
            throw new DatasetException(folder + ": no known dataset format (expected a dataset.json, a VOC2012 "
                    + "folder, Cityscapes leftImg8bit/ + gtFine/, ADE20K images/ + annotations/, or CamVid "
                    + "train/ + trainannot/)");
        }
        if (ds.splits().isEmpty() || ds.splits().values().stream().allMatch(List::isEmpty)
                && ds.problems().values().stream().allMatch(List::isEmpty)) {
            throw new DatasetException(folder + ": " + ds.format() + " layout but no image/label pairs found");
        }
        LOG.debug("opened {}", ds);
        return ds;
    }

    /** The format {@link #open} would use for {@code folder}, or null when none fits. */
    public static DatasetFormat detect(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            return null;
        }
        Path root = folder.toAbsolutePath().normalize();
        if (Files.isRegularFile(root.resolve(DatasetDescriptor.FILE_NAME))) {
            return DatasetFormat.DESCRIPTOR;
        }
        if (VocFormat.find(root) != null) {
            return DatasetFormat.VOC;
        }
        if (CityscapesFormat.find(root) != null) {
            return DatasetFormat.CITYSCAPES;
        }
        if (Ade20kFormat.find(root) != null) {
            return DatasetFormat.ADE20K;
        }
        return CamVidFormat.detect(root) ? DatasetFormat.CAMVID : null;
    }

    /** Subfolders of a folder, sorted by name. */
    static List<Path> subfolders(Path dir) throws DatasetException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list folder (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
    }

    /** Orders split names: train, val, test first, then the rest alphabetically. */
    static List<String> orderSplits(List<String> names) {
        List<String> order = List.of("train", "trainval", "val", "test");
        List<String> out = new ArrayList<>();
        for (String o : order) {
            if (names.contains(o)) {
                out.add(o);
            }
        }
        names.stream().filter(n -> !order.contains(n)).sorted().forEach(out::add);
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    /** PASCAL VOC 2012. */
    static final class VocFormat {
        static final String[] NAMES = {"background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus",
            "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
            "sheep", "sofa", "train", "tvmonitor"};

        static Path find(Path folder) {
            for (Path c : List.of(folder, folder.resolve("VOC2012"), folder.resolve("VOCdevkit").resolve("VOC2012"))) {
                if (Files.isDirectory(c.resolve("JPEGImages"))
                        && (Files.isDirectory(c.resolve("SegmentationClass")) || Files.isDirectory(c.resolve("SegmentationClassAug")))) {
                    return c;
                }
            }
            return null;
        }

        /** The VOC palette: bits of the index spread over the high bits of R, G, B. */
        static int color(int index) {
            int r = 0, g = 0, b = 0;
            int c = index;
            for (int j = 0; j < 8; j++) {
                r |= ((c) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            return (r << 16) | (g << 8) | b;
        }

        static SegmentationDataset open(Path root) throws DatasetException {
            List<ClassInfo> classes = new ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                classes.add(new ClassInfo(i, NAMES[i], color(i)));
            }
            Path cls = root.resolve("SegmentationClass");
            Path aug = root.resolve("SegmentationClassAug");
            List<Path> listDirs = new ArrayList<>();
            for (String d : List.of("Segmentation", "SegmentationAug")) {
                if (Files.isDirectory(root.resolve("ImageSets").resolve(d))) {
                    listDirs.add(root.resolve("ImageSets").resolve(d));
                }
            }
            Map<String, Path> lists = new LinkedHashMap<>();
            for (Path dir : listDirs) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted()
                            .forEach(p -> lists.putIfAbsent(PairLists.stem(p), p));
                } catch (IOException e) {
                    throw new DatasetException(dir + ": cannot list folder (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
                }
            }
            Map<String, List<ImagePair>> splits = new LinkedHashMap<>();
            Map<String, List<DatasetProblem>> problems = new LinkedHashMap<>();
            if (lists.isEmpty()) {
                // no ImageSets: every JPEG with a label is one split "all"
                PairLists.SplitBuilder sb = new PairLists.SplitBuilder("all");
                Map<String, Path> images = PairLists.imagesByStem(root.resolve("JPEGImages"));
                for (Map.Entry<String, Path> e : images.entrySet()) {
                    Path label = labelFor(cls, aug, e.getKey());
                    if (label != null) {
                        sb.add(e.getKey(), e.getValue(), label, root);
                    }
                }
                splits.put("all", sb.pairs);
                problems.put("all", sb.problems);
            }
            for (String split : orderSplits(new ArrayList<>(lists.keySet()))) {
                Path list = lists.get(split);
                PairLists.SplitBuilder sb = new PairLists.SplitBuilder(split);
                List<String> lines = PairLists.readLines(list);
                String listName = PairLists.rel(root, list);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    String id = line.split("\\s+")[0];
                    String where = listName + " line " + (i + 1);
                    if (id.contains("/") || id.contains("\\") || id.contains("..")) {
                        sb.problem(DatasetProblem.Kind.REFUSED_PATH, where, "id '" + PairLists.printable(id)
                                + "' is a path (refused)");
                        continue;
                    }
                    Path image = root.resolve("JPEGImages").resolve(id + ".jpg");
                    Path label = labelFor(cls, aug, id);
                    sb.add(id, image, label == null ? cls.resolve(id + ".png") : label, root);
                }
                if (sb.pairs.isEmpty() && sb.problems.stream().allMatch(p -> p.kind() == DatasetProblem.Kind.MISSING)
                        && !sb.problems.isEmpty() && split.equals("test")) {
                    continue; // VOC test lists come without labels
                }
                splits.put(split, sb.pairs);
                problems.put(split, sb.problems);
            }
            return new SegmentationDataset(root.getFileName().toString(), DatasetFormat.VOC, root, classes, 255, 0,
                    LabelEncoding.PALETTE, null, splits, problems);
        }

        private static Path labelFor(Path cls, Path aug, String id) {
            Path a = cls.resolve(id + ".png");
            if (Files.isRegularFile(a)) {
                return a;
            }
            Path b = aug.resolve(id + ".png");
            return Files.isRegularFile(b) ? b : null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    /** Cityscapes fine annotations. */
    static final class CityscapesFormat {
        static final String[] NAMES = {"road", "sidewalk", "building", "wall", "fence", "pole", "traffic light",
            "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
            "motorcycle", "bicycle"};
        static final int[] COLORS = {0x804080, 0xf423e8, 0x464646, 0x66669c, 0xbe9999, 0x999999, 0xfaaa1e,
            0xdcdc00, 0x6b8e23, 0x98fb98, 0x4682b4, 0xdc143c, 0xff0000, 0x00008e, 0x000046, 0x003c64, 0x005064,
            0x0000e6, 0x770b20};
        /** labelId → trainId for the 19 evaluated classes (everything else is void). */
        static final int[][] ID_TO_TRAIN = {{7, 0}, {8, 1}, {11, 2}, {12, 3}, {13, 4}, {17, 5}, {19, 6}, {20, 7},
            {21, 8}, {22, 9}, {23, 10}, {24, 11}, {25, 12}, {26, 13}, {27, 14}, {28, 15}, {31, 16}, {32, 17}, {33, 18}};

        static Path find(Path folder) {
            for (Path c : List.of(folder, folder.resolve("cityscapes"))) {
                if (Files.isDirectory(c.resolve("leftImg8bit")) && Files.isDirectory(c.resolve("gtFine"))) {
                    return c;
                }
            }
            return null;
        }

        static int[] labelIdMap() {
            int[] map = new int[256];
            Arrays.fill(map, 255);
            for (int[] e : ID_TO_TRAIN) {
                map[e[0]] = e[1];
            }
            return map;
        }

        static SegmentationDataset open(Path root) throws DatasetException {
            List<ClassInfo> classes = new ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                classes.add(new ClassInfo(i, NAMES[i], COLORS[i]));
            }
            Path left = root.resolve("leftImg8bit");
            Path gt = root.resolve("gtFine");
            List<String> splitNames = subfolders(left).stream().map(p -> p.getFileName().toString()).toList();
            // first pass: which label flavour is present
            int trainIds = 0;
            int labelIds = 0;
            Map<String, List<Path[]>> found = new LinkedHashMap<>();
            for (String split : orderSplits(new ArrayList<>(splitNames))) {
                List<Path[]> entries = new ArrayList<>();
                for (Path city : subfolders(left.resolve(split))) {
                    try (Stream<Path> s = Files.list(city)) {
                        for (Path img : s.filter(p -> p.getFileName().toString().endsWith("_leftImg8bit.png")).sorted().toList()) {
                            String n = img.getFileName().toString();
                            String prefix = n.substring(0, n.length() - "_leftImg8bit.png".length());
                            Path dir = gt.resolve(split).resolve(city.getFileName());
                            Path tid = dir.resolve(prefix + "_gtFine_labelTrainIds.png");
                            Path lid = dir.resolve(prefix + "_gtFine_labelIds.png");
                            trainIds += Files.isRegularFile(tid) ? 1 : 0;
                            labelIds += Files.isRegularFile(lid) ? 1 : 0;
                            entries.add(new Path[] {img, tid, lid});
                        }
                    } catch (IOException e) {
                        throw new DatasetException(city + ": cannot list folder (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
                    }
                }
                found.put(split, entries);
            }
            boolean useTrainIds = trainIds > 0 && trainIds >= labelIds;
            Map<String, List<ImagePair>> splits = new LinkedHashMap<>();
            Map<String, List<DatasetProblem>> problems = new LinkedHashMap<>();
            for (Map.Entry<String, List<Path[]>> e : found.entrySet()) {
                PairLists.SplitBuilder sb = new PairLists.SplitBuilder(e.getKey());
                for (Path[] p : e.getValue()) {
                    String id = p[0].getFileName().toString().replace("_leftImg8bit.png", "");
                    sb.add(id, p[0], useTrainIds ? p[1] : p[2], root);
                }
                splits.put(e.getKey(), sb.pairs);
                problems.put(e.getKey(), sb.problems);
            }
            return new SegmentationDataset(root.getFileName().toString(), DatasetFormat.CITYSCAPES, root, classes,
                    255, -1, LabelEncoding.INDEX, useTrainIds ? null : labelIdMap(), splits, problems);
        }
    }

    // ---------------------------------------------------------------------------------------------
    /** CamVid in the SegNet layout. */
    static final class CamVidFormat {
        static final String[] NAMES = {"Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence",
            "Car", "Pedestrian", "Bicyclist"};
        static final int[] COLORS = {0x808080, 0x800000, 0xc0c080, 0x804080, 0x3c28de, 0x808000, 0xc08080,
            0x404080, 0x400080, 0x404000, 0x0080c0};
        static final int VOID = 11;
        static final List<String> SPLITS = List.of("train", "val", "test");

        static boolean detect(Path root) {
            for (String s : SPLITS) {
                if (Files.isDirectory(root.resolve(s)) && Files.isDirectory(root.resolve(s + "annot"))) {
                    return true;
                }
                if (Files.isRegularFile(root.resolve(s + ".txt"))) {
                    return true;
                }
            }
            return false;
        }

        static SegmentationDataset open(Path root) throws DatasetException {
            List<ClassInfo> classes = new ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                classes.add(new ClassInfo(i, NAMES[i], COLORS[i]));
            }
            Map<String, List<ImagePair>> splits = new LinkedHashMap<>();
            Map<String, List<DatasetProblem>> problems = new LinkedHashMap<>();
            for (String s : SPLITS) {
                Path list = root.resolve(s + ".txt");
                boolean folders = Files.isDirectory(root.resolve(s)) && Files.isDirectory(root.resolve(s + "annot"));
                PairLists.SplitBuilder sb = new PairLists.SplitBuilder(s);
                if (Files.isRegularFile(list)) {
                    PairLists.readPairList(root, root, list, sb);
                    if (sb.pairs.isEmpty() && folders) {
                        // e.g. SegNet's own lists hold absolute paths of the authors' machine
                        List<DatasetProblem> listProblems = List.copyOf(sb.problems);
                        sb = new PairLists.SplitBuilder(s);
                        sb.problem(DatasetProblem.Kind.MALFORMED_LINE, s + ".txt", "no usable entry ("
                                + listProblems.size() + " problems, first: " + (listProblems.isEmpty() ? "none"
                                : listProblems.get(0)) + "); using the " + s + "/ and " + s + "annot/ folders instead");
                        PairLists.pairFolders(root, root.resolve(s), root.resolve(s + "annot"), null, sb);
                    }
                } else if (folders) {
                    PairLists.pairFolders(root, root.resolve(s), root.resolve(s + "annot"), null, sb);
                } else {
                    continue;
                }
                splits.put(s, sb.pairs);
                problems.put(s, sb.problems);
            }
            return new SegmentationDataset(root.getFileName() == null ? "camvid" : root.getFileName().toString(),
                    DatasetFormat.CAMVID, root, classes, VOID, -1, LabelEncoding.INDEX, null, splits, problems);
        }
    }
}
