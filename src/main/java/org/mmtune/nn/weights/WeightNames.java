package org.mmtune.nn.weights;

/** Name normalisation shared by the readers. */
public final class WeightNames {

    private WeightNames() {
    }

    /** Removes leading {@code module.} prefixes (added by {@code torch.nn.DataParallel}). */
    public static String stripModulePrefix(String name) {
        String n = name;
        while (n.startsWith("module.")) {
            n = n.substring("module.".length());
        }
        return n;
    }

    /** True for the batch-norm step counters that readers skip. */
    public static boolean isCounter(String name) {
        return name.endsWith("num_batches_tracked");
    }
}
