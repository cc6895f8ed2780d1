package org.mmtune.mix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.mmtune.data.Sample;

/**
 * Samples and crops the patches of a batch of decoded images, in parallel over images. Results do
 * not depend on the number of threads: each image uses its own seed and its own output slots.
 */
public final class Mixer {

    /** Which crops to make. */
    public enum Crops { NONE, GRAY, RGB, BOTH }

    private final PatchSampler sampler;
    private final PatchCropper cropper;
    private final Crops crops;

    public Mixer(PatchSampler sampler, Crops crops) {
        this.sampler = Objects.requireNonNull(sampler);
        this.cropper = new PatchCropper(sampler.config().outSize());
        this.crops = Objects.requireNonNull(crops);
    }

    public PatchSampler sampler() {
        return sampler;
    }

    public PatchCropper cropper() {
        return cropper;
    }

    /** Mixes with all available cores. */
    public MixedBatch mix(List<Sample> samples, int[] imageIndices, long batch) {
        return mix(samples, imageIndices, batch, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Samples and crops the patches of {@code samples} (image {@code i} has index
     * {@code imageIndices[i]}) for batch {@code batch}.
     *
     * @param threads 1 = on the calling thread; more = a fork-join pool of that size
     */
    public MixedBatch mix(List<Sample> samples, int[] imageIndices, long batch, int threads) {
        if (imageIndices.length != samples.size()) {
            throw new IllegalArgumentException(samples.size() + " samples but " + imageIndices.length + " indices");
        }
        int n = samples.size();
        @SuppressWarnings("unchecked")
        List<Patch>[] perImage = new List[n];
        boolean gray = crops == Crops.GRAY || crops == Crops.BOTH;
        boolean rgb = crops == Crops.RGB || crops == Crops.BOTH;
        byte[][][] g = new byte[n][][];
        byte[][][] c = new byte[n][][];
        runParallel(n, threads, i -> {
            List<Patch> p = sampler.sample(samples.get(i), imageIndices[i], batch);
            perImage[i] = p;
            g[i] = gray ? new byte[p.size()][] : null;
            c[i] = rgb ? new byte[p.size()][] : null;
            cropper.cropAll(samples.get(i), p, g[i], c[i], 0);
        });
        List<Patch> all = new ArrayList<>();
        List<byte[]> gl = new ArrayList<>();
        List<byte[]> cl = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.addAll(perImage[i]);
            if (gray) {
                gl.addAll(List.of(g[i]));
            }
            if (rgb) {
                cl.addAll(List.of(c[i]));
            }
        }
        return new MixedBatch(batch, imageIndices.clone(), sampler.config().outSize(), all,
                gray ? gl.toArray(new byte[0][]) : null, rgb ? cl.toArray(new byte[0][]) : null);
    }

    /** Runs {@code body(i)} for i in [0, n) on {@code threads} threads (1 = caller's thread). */
    public static void runParallel(int n, int threads, java.util.function.IntConsumer body) {
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        if (threads == Runtime.getRuntime().availableProcessors()) {
            IntStream.range(0, n).parallel().forEach(body); // common pool + caller
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mixing", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdown();
        }
    }
}
