package org.mmtune.data;

/**
 * Something wrong with one file or line of a dataset, found while opening or validating it. The dataset
 * still opens: the faulty pair is left out (or, for label values, the pixels become void) and counted.
 *
 * @param split   the split it belongs to
 * @param kind    what kind of problem
 * @param file    the file (or list file and line) concerned, as given in the dataset
 * @param message one plain line describing the problem
 */
public record DatasetProblem(String split, Kind kind, String file, String message) {

    /** The kinds of problems counted per split. */
    public enum Kind {
        /** A listed image or label file does not exist. */
        MISSING,
        /** A list entry with an absolute path or one that escapes the dataset folder. */
        REFUSED_PATH,
        /** A blank-but-not-empty, malformed or undecodable line of a list file. */
        MALFORMED_LINE,
        /** A file that exists but cannot be read or decoded (empty, truncated, corrupt, too large). */
        UNREADABLE,
        /** Image and label differ in size. */
        SIZE_MISMATCH,
        /** Label values outside the dataset's classes (they are read as void). */
        OUT_OF_RANGE,
        /** A label file with no image, or an image with no label, in folder-pair splits. */
        UNPAIRED,
        /** A split with no usable pair at all. */
        EMPTY_SPLIT
    }

    /** {@code file: message}. */
    @Override
    public String toString() {
        return file + ": " + message;
    }
}
