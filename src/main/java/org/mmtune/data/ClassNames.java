package org.mmtune.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-name files: one class name per line, in index order (line 1 = class 0). Surrounding spaces and a
 * UTF-8 byte-order mark are dropped and trailing empty lines are ignored; a blank line between names, a
 * name given twice or more than 255 names are errors naming the file and the line.
 */
public final class ClassNames {

    private ClassNames() {
    }

    /** The names of a class-name file. */
    public static List<String> read(Path file) throws DatasetException {
        List<String> lines;
        try {
            lines = PairLists.readLines(file);
        } catch (DatasetException e) {
            throw new DatasetException(file + ": cannot read class-name file (" + (e.getCause() instanceof IOException io
                    ? org.mmtune.util.IoProblems.describe(io) : e.getMessage()) + ")", e);
        }
        return parse(file.toString(), lines);
    }

    /** The names of a class-name file on the class path (the built-in lists). */
    static List<String> resource(String name) {
        try (InputStream in = ClassNames.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException | DatasetException e) {
            throw new IllegalStateException("bad built-in class list " + name + ": " + e.getMessage(), e);
        }
    }

    static List<String> parse(String where, List<String> lines) throws DatasetException {
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < last; i++) {
            String name = lines.get(i).strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1).strip();
            }
            if (name.isEmpty()) {
                throw new DatasetException(where + " line " + (i + 1) + ": blank line (one class name per line, "
                        + "line 1 = class 0)");
            }
            if (name.chars().anyMatch(Character::isISOControl)) {
                throw new DatasetException(where + " line " + (i + 1) + ": control character in the class name '"
                        + PairLists.printable(name) + "'");
            }
            Integer before = seen.putIfAbsent(name, i + 1);
            if (before != null) {
                throw new DatasetException(where + " line " + (i + 1) + ": class '" + name + "' appears twice "
                        + "(first on line " + before + ")");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new DatasetException(where + ": no class names (one per line expected)");
        }
        if (names.size() > 255) {
            throw new DatasetException(where + ": at most 255 classes (found " + names.size() + ")");
        }
        return names;
    }
}
