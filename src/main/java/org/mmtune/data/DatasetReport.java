package org.mmtune.data;

import java.util.List;
import java.util.Map;

/**
 * What {@link DatasetValidator} found: the dataset's description and, per split, the pairs, the problems
 * and the class pixel frequencies. Plain records, serialisable with Jackson as they are.
 */
public record DatasetReport(String name, String format, String root, String labelEncoding, String labelValues,
                            List<ClassEntry> classes, int ignoreIndex, int backgroundIndex,
                            Map<String, SplitReport> splits) {

    /** A class as reported: index, name and colour {@code #rrggbb}. */
    public record ClassEntry(int index, String name, String color) {
    }

    /**
     * One split.
     *
     * @param images           image/label pairs usable (listed and present)
     * @param decoded          pairs fully decoded (all of them, or a sample when the split is large)
     * @param sampled          whether {@code decoded} is a sample of the split
     * @param missing          listed files not found (those pairs are left out)
     * @param refused          list entries refused (absolute paths, paths leaving the folder, malformed lines)
     * @param unreadable       files empty, truncated, corrupt, not images, too large or 16-bit labels
     * @param sizeMismatches   pairs whose image and label differ in size
     * @param outOfRangePixels label pixels outside the classes (read as void), in the decoded pairs
     * @param outOfRangeValues raw value (or colour) → pixel count, for those pixels
     * @param classFrequencies pixel share of every class over the decoded pairs (void excluded)
     * @param voidPixels       void pixels in the decoded pairs
     * @param problems         the problems, one line each (at most {@link DatasetValidator#MAX_LISTED})
     * @param problemCount     how many problems in all
     */
    public record SplitReport(int images, int decoded, boolean sampled, int missing, int refused, int unreadable,
                              int sizeMismatches, long outOfRangePixels, Map<String, Long> outOfRangeValues,
                              List<ClassFrequency> classFrequencies, long voidPixels, List<String> problems,
                              int problemCount) {
    }

    /** Pixels of one class in the decoded pairs of a split and their share of the labelled pixels. */
    public record ClassFrequency(int index, String name, long pixels, double fraction) {
    }
}
