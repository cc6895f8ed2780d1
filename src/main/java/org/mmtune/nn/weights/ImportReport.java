package org.mmtune.nn.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did: {@code matched} (mmtune tensor → source tensor), {@code missing} (mmtune tensors no
 * source tensor filled; their values are stated in {@code transforms}), {@code unused} (source tensors left
 * out), {@code shapeMismatch} (why the file does not fit; empty when it does) and {@code transforms}
 * (every value that is not a plain copy, and the assumptions behind it). Written as REPORT.json.
 */
public record ImportReport(String source, String format, String backbone, int widthDivisor, String mapping,
                           Map<String, String> matched, List<String> missing, List<String> unused,
                           List<String> shapeMismatch, List<String> transforms) {

    public ImportReport {
        matched = new LinkedHashMap<>(matched);
        missing = List.copyOf(missing);
        unused = List.copyOf(unused);
        shapeMismatch = List.copyOf(shapeMismatch);
        transforms = List.copyOf(transforms);
    }

    /** True when every mmtune tensor could be filled. */
    public boolean fits() {
        return shapeMismatch.isEmpty();
    }

    /** A few lines for a terminal or a dialog. */
    public String summary() {
        List<String> lines = new ArrayList<>();
        lines.add(source + " (" + format + ") → " + backbone + " width ÷" + widthDivisor + ", mapped " + mapping);
        lines.add("matched " + matched.size() + " tensors, missing " + missing.size() + ", unused " + unused.size()
                + (shapeMismatch.isEmpty() ? "" : ", " + shapeMismatch.size() + " shape mismatch(es)"));
        // one line per kind of transform: layers that get the same one are counted, not repeated
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Map<String, String> first = new LinkedHashMap<>();
        for (String t : transforms) {
            String kind = t.replaceAll("\\d+", "#");
            kinds.merge(kind, 1, Integer::sum);
            first.putIfAbsent(kind, t);
        }
        for (Map.Entry<String, Integer> k : kinds.entrySet()) {
            lines.add("  " + first.get(k.getKey()) + (k.getValue() > 1 ? " (and " + (k.getValue() - 1)
                    + " more layers alike)" : ""));
        }
        if (!unused.isEmpty()) {
            lines.add("  unused: " + abbreviate(unused));
        }
        if (!missing.isEmpty()) {
            lines.add("  missing: " + abbreviate(missing));
        }
        if (!shapeMismatch.isEmpty()) {
            lines.add("  does not fit: " + shapeMismatch.get(0));
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 8) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 8)) + ", … (" + (names.size() - 8) + " more)";
    }
}
