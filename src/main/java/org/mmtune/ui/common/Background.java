package org.mmtune.ui.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.concurrent.Callable;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work off the FX thread and hands results back on it. Every job started here (and every pending
 * debounce) is counted in {@link #busyProperty()}, which the snapshot mode and the tests use to wait
 * until the views have settled.
 */
public final class Background {

    private static final Logger LOG = LoggerFactory.getLogger(Background.class);

    /** Background threads run at a lower OS priority, so the FX thread and the renderer get a core first. */
    private static final ThreadFactory FACTORY = org.mmtune.util.Nice.backgroundThreads("mmtune-bg", true);
    /** Compute jobs (sampling, graphs, decoding a full image). */
    private static final ExecutorService WORK = Executors.newFixedThreadPool(2, FACTORY);
    /** Thumbnail decoding: its own single thread so a big grid never starves the compute jobs. */
    private static final ExecutorService THUMBS = Executors.newSingleThreadExecutor(FACTORY);

    private static final ReadOnlyIntegerWrapper BUSY = new ReadOnlyIntegerWrapper(0);

    private Background() {
    }

    /** Number of running jobs plus pending debounces (FX thread only). */
    public static ReadOnlyIntegerProperty busyProperty() {
        return BUSY.getReadOnlyProperty();
    }

    /** Called on the FX thread by anything that will start work soon (a debounce). */
    public static void pending(int delta) {
        runFx(() -> BUSY.set(BUSY.get() + delta));
    }

    /**
     * Runs {@code work} on a background thread; {@code onDone} or {@code onError} then run on the FX thread.
     * Errors are logged at debug level and reported as a plain line by the caller.
     */
    public static <T> Future<?> run(String what, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        return submit(WORK, what, work, onDone, onError);
    }

    /** Like {@link #run} but on the thumbnail thread, and not counted as busy. */
    public static Future<?> thumbnail(Runnable work) {
        return THUMBS.submit(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.debug("thumbnail failed", e);
            }
        });
    }

    private static <T> Future<?> submit(ExecutorService pool, String what, Callable<T> work, Consumer<T> onDone,
                                        Consumer<Throwable> onError) {
        pending(+1);
        return pool.submit(() -> {
            T result = null;
            Throwable error = null;
            try {
                result = work.call();
            } catch (Throwable t) {
                LOG.debug("{} failed", what, t);
                error = t;
            }
            T r = result;
            Throwable e = error;
            Platform.runLater(() -> {
                try {
                    if (e == null) {
                        if (onDone != null) {
                            onDone.accept(r);
                        }
                    } else if (onError != null) {
                        onError.accept(e);
                    }
                } catch (RuntimeException ex) {
                    LOG.warn("{}: {}", what, ex.toString());
                    LOG.debug("{} result handling failed", what, ex);
                } finally {
                    BUSY.set(BUSY.get() - 1);
                }
            });
        });
    }

    /**
     * Runs {@code c} on the FX thread and waits (up to a minute) for its result; for drivers working from
     * another thread (benchmarks, snapshot mode, test mains). Not to be called on the FX thread.
     */
    public static <T> T callAndWait(java.util.concurrent.Callable<T> c) throws Exception {
        java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Runs on the FX thread: now if already on it, else later. */
    public static void runFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
