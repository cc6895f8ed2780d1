package org.mmtune.train;

import ai.djl.training.tracker.Tracker;

/** Step decay: {@code base · factor^floor(iteration / stepEvery)} (constant when stepEvery is 0). */
public record LrSchedule(float base, int stepEvery, float factor) {

    public float at(int iteration) {
        if (stepEvery <= 0) {
            return base;
        }
        return (float) (base * Math.pow(factor, Math.floor((double) iteration / stepEvery)));
    }

    /**
     * A DJL tracker that follows this schedule, counting updates from {@code startIteration} (resume).
     * DJL counts updates per parameter, so every parameter sees the same step number.
     */
    public Tracker tracker(int startIteration) {
        return numUpdate -> at(Math.max(0, numUpdate - 1) + startIteration);
    }
}
