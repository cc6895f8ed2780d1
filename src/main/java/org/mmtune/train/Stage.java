package org.mmtune.train;

import java.util.Locale;

/** The stages of an experiment, in order; {@link #id()} is the name used in run folders. */
public enum Stage {
    PROXY, MM, FINETUNE, EVAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
