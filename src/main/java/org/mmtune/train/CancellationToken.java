package org.mmtune.train;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set from any thread; training loops check it before every iteration and stop within one. */
public final class CancellationToken {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
