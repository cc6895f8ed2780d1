package org.mmtune.mix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summary of a set of patches: counts per class, mean side and mean purity (overall and per class),
 * share of patches touching the image border, mean number of patches per image.
 *
 * @param patches     number of patches
 * @param images      number of distinct source images
 * @param meanSize    mean side in pixels
 * @param meanPurity  mean label purity
 * @param perClass    class index → its figures, for classes with at least one patch
 */
public record MixStats(int patches, int images, double meanSize, double meanPurity, Map<Integer, ClassStats> perClass) {

    /** Figures of one class. */
    public record ClassStats(int count, double share, double meanSize, double meanPurity) {
    }

    public static MixStats of(List<Patch> patches) {
        Map<Integer, List<Patch>> by = new TreeMap<>();
        double size = 0;
        double purity = 0;
        java.util.Set<Integer> images = new java.util.HashSet<>();
        for (Patch p : patches) {
            by.computeIfAbsent(p.label(), k -> new ArrayList<>()).add(p);
            size += p.size();
            purity += p.purity();
            images.add(p.imageIndex());
        }
        int n = patches.size();
        Map<Integer, ClassStats> per = new TreeMap<>();
        by.forEach((cls, list) -> per.put(cls, new ClassStats(list.size(), n == 0 ? 0 : (double) list.size() / n,
                list.stream().mapToInt(Patch::size).average().orElse(0),
                list.stream().mapToDouble(Patch::purity).average().orElse(0))));
        return new MixStats(n, images.size(), n == 0 ? 0 : size / n, n == 0 ? 0 : purity / n,
                Collections.unmodifiableMap(per));
    }
}
