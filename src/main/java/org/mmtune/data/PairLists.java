package org.mmtune.data;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Shared building blocks of the format loaders: list files of {@code image label} lines, image/label
 * folder pairs, and the rule that no entry may leave the dataset folder. Problems are collected, not
 * thrown: the faulty entry is skipped and counted.
 */
final class PairLists {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "ppm", "pgm", "webp");

    private PairLists() {
    }

    /** Collects the pairs and problems of one split. */
    static final class SplitBuilder {
        final String split;
        final List<ImagePair> pairs = new ArrayList<>();
        final List<DatasetProblem> problems = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();

        SplitBuilder(String split) {
            this.split = split;
        }

        void problem(DatasetProblem.Kind kind, String file, String message) {
            problems.add(new DatasetProblem(split, kind, file, message));
        }

        /** Adds a pair if both files exist (else counts them as missing); ids are made unique. */
        void add(String id, Path image, Path label, Path root) {
            boolean ok = true;
            if (!Files.isRegularFile(image)) {
                problem(DatasetProblem.Kind.MISSING, rel(root, image), "image file not found");
                ok = false;
            }
            if (!Files.isRegularFile(label)) {
                problem(DatasetProblem.Kind.MISSING, rel(root, label), "label file not found");
                ok = false;
            }
            if (!ok) {
                return;
            }
            String unique = id;
            for (int k = 2; !ids.add(unique); k++) {
                unique = id + "~" + k;
            }
            pairs.add(new ImagePair(unique, image, label));
        }
    }

    /**
     * Resolves a relative entry inside {@code root}; returns null (and records a REFUSED_PATH problem) for
     * absolute paths and paths that escape the folder, or a MALFORMED_LINE problem for unusable names.
     */
    static Path resolveInside(Path root, Path base, String entry, SplitBuilder sb, String where) {
        Path p;
        try {
            if (entry.startsWith("/") || entry.startsWith("\\") || entry.matches("^[A-Za-z]:[\\\\/].*")) {
                sb.problem(DatasetProblem.Kind.REFUSED_PATH, where, "absolute path '" + entry + "' refused");
                return null;
            }
            Path rel = Path.of(entry);
            if (rel.isAbsolute()) {
                sb.problem(DatasetProblem.Kind.REFUSED_PATH, where, "absolute path '" + entry + "' refused");
                return null;
            }
            p = base.resolve(rel).normalize();
        } catch (InvalidPathException e) {
            sb.problem(DatasetProblem.Kind.MALFORMED_LINE, where, "unusable file name '" + printable(entry) + "'");
            return null;
        }
        if (!p.startsWith(root.normalize())) {
            sb.problem(DatasetProblem.Kind.REFUSED_PATH, where, "path '" + entry + "' leaves the dataset folder (refused)");
            return null;
        }
        return p;
    }

    /**
     * Reads a list file of {@code image label} lines (whitespace or tab separated; {@code #} comments and
     * empty lines skipped), paths relative to {@code base}.
     */
    static void readPairList(Path root, Path base, Path listFile, SplitBuilder sb) throws DatasetException {
        List<String> lines = readLines(listFile);
        String listName = rel(root, listFile);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = listName + " line " + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t");
            if (parts.length != 2) {
                parts = line.split("\\s+");
            }
            if (parts.length != 2) {
                sb.problem(DatasetProblem.Kind.MALFORMED_LINE, where,
                        "expected 'image label', found " + parts.length + " fields: '" + printable(line) + "'");
                continue;
            }
            Path img = resolveInside(root, base, parts[0].strip(), sb, where);
            Path lab = resolveInside(root, base, parts[1].strip(), sb, where);
            if (img == null || lab == null) {
                continue;
            }
            sb.add(stem(img), img, lab, root);
        }
    }

    /** Lines of a UTF-8 (or Latin-1) text file. */
    static List<String> readLines(Path file) throws DatasetException {
        try {
            try {
                return Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read list file (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
    }

    /**
     * Pairs the images of {@code imageDir} with the labels of {@code labelDir} by file stem (label stem =
     * image stem + {@code labelSuffix}); labels may have another extension (PNG preferred).
     */
    static void pairFolders(Path root, Path imageDir, Path labelDir, String labelSuffix, SplitBuilder sb)
            throws DatasetException {
        Map<String, Path> images = imagesByStem(imageDir);
        Map<String, Path> labels = imagesByStem(labelDir);
        Set<String> usedLabels = new HashSet<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            String labelStem = e.getKey() + (labelSuffix == null ? "" : labelSuffix);
            Path label = labels.get(labelStem);
            if (label == null) {
                sb.problem(DatasetProblem.Kind.MISSING, rel(root, e.getValue()),
                        "no label named " + labelStem + ".* in " + rel(root, labelDir));
                continue;
            }
            usedLabels.add(labelStem);
            sb.add(e.getKey(), e.getValue(), label, root);
        }
        for (Map.Entry<String, Path> e : labels.entrySet()) {
            if (!usedLabels.contains(e.getKey())) {
                sb.problem(DatasetProblem.Kind.UNPAIRED, rel(root, e.getValue()), "label with no image");
            }
        }
    }

    /** Image files of a folder by stem, sorted; for the same stem PNG wins. */
    static Map<String, Path> imagesByStem(Path dir) throws DatasetException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(PairLists::isImageFile).sorted().toList();
            Map<String, Path> chosen = new HashMap<>();
            for (Path f : files) {
                String stem = stem(f);
                Path prev = chosen.get(stem);
                if (prev == null || extension(f).equals("png")) {
                    chosen.put(stem, f);
                }
            }
            out.putAll(chosen);
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list folder (" + org.mmtune.util.IoProblems.describe(e) + ")", e);
        }
        return out;
    }

    static boolean isImageFile(Path f) {
        return IMAGE_EXTENSIONS.contains(extension(f));
    }

    static String extension(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }

    /** {@code file} relative to {@code root} when inside it, for short messages. */
    static String rel(Path root, Path file) {
        Path r = root.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(r) && !f.equals(r) ? r.relativize(f).toString() : file.toString();
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.length() > 120 ? sb.substring(0, 117) + "..." : sb.toString();
    }
}
