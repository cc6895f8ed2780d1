package org.mmtune.data;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SampleReader} found wrong in one label image while reading it: raw values (or colours)
 * that are not a class of the dataset. Those pixels were read as the ignore index.
 *
 * @param outOfRange      raw label value → pixel count, for values outside the classes and not void
 * @param unknownColours  colour {@code #rrggbb} → pixel count (RGB-encoded labels only)
 */
public record LabelIssues(Map<Integer, Long> outOfRange, Map<String, Long> unknownColours) {

    public LabelIssues {
        outOfRange = Map.copyOf(outOfRange);
        unknownColours = Map.copyOf(unknownColours);
    }

    public static final LabelIssues NONE = new LabelIssues(Map.of(), Map.of());

    public boolean isEmpty() { return outOfRange.isEmpty() && unknownColours.isEmpty(); }

    public long pixels() {
        return outOfRange.values().stream().mapToLong(Long::longValue).sum()
                + unknownColours.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line, e.g. {@code 1234 pixels with values outside the classes (12: 1000, 200: 234), read as void}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(pixels()).append(" pixels ");
        if (!outOfRange.isEmpty()) {
            sb.append("with values outside the classes (").append(join(new TreeMap<>(outOfRange))).append(')');
        }
        if (!unknownColours.isEmpty()) {
            sb.append(outOfRange.isEmpty() ? "" : " and ").append("with colours of no class (")
                    .append(join(new TreeMap<>(unknownColours))).append(')');
        }
        return sb.append(", read as void").toString();
    }

    private static String join(Map<?, Long> m) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (Map.Entry<?, Long> e : m.entrySet()) {
            if (k++ == 8) {
                sb.append(", ...");
                break;
            }
            sb.append(k > 1 ? ", " : "").append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.toString();
    }
}
