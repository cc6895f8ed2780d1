package org.mmtune.match;

/** The two kinds of edges of a match graph. */
public enum EdgeKind {
    /** Anchor to a node of its class. */
    POSITIVE,
    /** Anchor to a node of another class. */
    NEGATIVE
}
