package org.mmtune.train;

/** Produces a fresh mixed batch (mix) with its triplets (match) for each M&M iteration. */
@FunctionalInterface
public interface PatchBatchSource {
    PatchBatch next(int iteration) throws Exception;
}
