package org.mmtune.ui.common;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mmtune.data.DatasetException;
import org.mmtune.data.DatasetLoader;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SampleReader;
import org.mmtune.data.SegmentationDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's one door to the data layer: opens datasets and decodes samples, keeping decoded samples in
 * a cache bounded by bytes (shared by the views, any thread), which {@link #warm} fills in the
 * background so that resampling a batch does not wait for PNG decoding.
 */
public final class DatasetAccess {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetAccess.class);

    private static final long BUDGET = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 3);
    private static final LinkedHashMap<Path, Sample> SAMPLES = new LinkedHashMap<>(256, 0.75f, true);
    private static final Map<Path, CompletableFuture<Sample>> IN_FLIGHT = new HashMap<>();
    private static long bytes;
    private static final AtomicLong WARM_GENERATION = new AtomicLong();
    private static final java.util.concurrent.atomic.AtomicInteger WARMING =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Decoding someone waits for (a resample) in progress: the warm-up pauses meanwhile. */
    private static final java.util.concurrent.atomic.AtomicInteger FOREGROUND =
            new java.util.concurrent.atomic.AtomicInteger();

    private DatasetAccess() {
    }

    public static SegmentationDataset open(Path folder) throws DatasetException {
        WARM_GENERATION.incrementAndGet();
        return DatasetLoader.open(folder);
    }

    /** Decodes a pair (cached by image path; concurrent requests for the same pair decode it once). */
    public static Sample read(SegmentationDataset ds, ImagePair pair) throws DatasetException {
        CompletableFuture<Sample> mine;
        CompletableFuture<Sample> other;
        synchronized (SAMPLES) {
            Sample s = SAMPLES.get(pair.image());
            if (s != null) {
                return s;
            }
            other = IN_FLIGHT.get(pair.image());
            mine = other == null ? new CompletableFuture<>() : null;
            if (mine != null) {
                IN_FLIGHT.put(pair.image(), mine);
            }
        }
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof DatasetException de) {
                    throw de;
                }
                throw e;
            }
        }
        try {
            Sample s = SampleReader.read(ds, pair);
            put(pair.image(), s);
            mine.complete(s);
            return s;
        } catch (DatasetException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (SAMPLES) {
                IN_FLIGHT.remove(pair.image());
            }
        }
    }

    /** The cached sample or null. */
    public static Sample cached(ImagePair pair) {
        synchronized (SAMPLES) {
            return SAMPLES.get(pair.image());
        }
    }

    private static void put(Path key, Sample s) {
        synchronized (SAMPLES) {
            Sample old = SAMPLES.put(key, s);
            if (old != null) {
                bytes -= size(old);
            }
            bytes += size(s);
            Iterator<Map.Entry<Path, Sample>> it = SAMPLES.entrySet().iterator();
            while (bytes > BUDGET && it.hasNext()) {
                Map.Entry<Path, Sample> e = it.next();
                if (e.getValue() == s) {
                    break;
                }
                bytes -= size(e.getValue());
                it.remove();
            }
        }
    }

    private static long size(Sample s) {
        return (long) s.rgb().length + s.labels().length + 64;
    }

    /**
     * Runs decoding that a user waits for; the background warm-up pauses until it is done (thread
     * priorities are ignored on Linux, so on two cores the warm-up would otherwise take half the CPU).
     */
    public static void foreground(Runnable work) {
        FOREGROUND.incrementAndGet();
        try {
            work.run();
        } finally {
            FOREGROUND.decrementAndGet();
        }
    }

    /**
     * Decodes the pairs of a split into the cache on a low-priority background thread (as many as the
     * budget holds); a later call or a newly opened dataset stops an earlier warm-up.
     */
    public static void warm(SegmentationDataset ds, List<ImagePair> pairs) {
        long gen = WARM_GENERATION.incrementAndGet();
        WARMING.incrementAndGet();
        Thread t = new Thread(() -> {
            org.mmtune.util.Nice.lowerCurrentThread(org.mmtune.util.Nice.BACKGROUND);
            try {
                warmUp(ds, pairs, gen);
            } finally {
                WARMING.decrementAndGet();
            }
        }, "mmtune-warm-cache");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Whether a warm-up is still decoding (for {@code gui --bench}, which measures with a warm cache). */
    public static boolean warming() {
        return WARMING.get() > 0;
    }

    private static void warmUp(SegmentationDataset ds, List<ImagePair> pairs, long gen) {
        {
            long used = 0;
            for (ImagePair p : pairs) {
                if (WARM_GENERATION.get() != gen || used > BUDGET * 0.8) {
                    return;
                }
                while (FOREGROUND.get() > 0) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                try {
                    used += size(read(ds, p));
                } catch (DatasetException | RuntimeException e) {
                    LOG.debug("warm-up skipped {}", p.image(), e);
                }
            }
        }
    }
}
