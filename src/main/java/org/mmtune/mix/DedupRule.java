package org.mmtune.mix;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a candidate patch is judged a duplicate of the patches already kept from its image.
 */
public enum DedupRule {
    /**
     * The reference implementation's rule ({@code patchDeDup} in its {@code create_patch.py}): a
     * candidate is skipped when the part of its in-image window already covered by the kept patches
     * of its group exceeds the threshold times the area of the group's <em>first drawn</em>
     * candidate (side², unclipped). Only foreground candidates are de-duplicated; background
     * candidates are taken in order.
     */
    REFERENCE("reference"),
    /**
     * Compares the covered part with the candidate's <em>own</em> in-image area, and de-duplicates
     * background candidates too (against every kept patch). Lets large windows through more often
     * than {@link #REFERENCE}.
     */
    OWN_AREA("own-area");

    private final String key;

    DedupRule(String key) {
        this.key = key;
    }

    /** The spelling used on the command line and in experiment files. */
    @JsonValue
    public String key() {
        return key;
    }

    /** Parses {@code reference} or {@code own-area} (case-insensitive, '_' accepted for '-'); null when unknown. */
    public static DedupRule parse(String s) {
        if (s == null) {
            return null;
        }
        String k = s.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DedupRule r : values()) {
            if (r.key.equals(k)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
