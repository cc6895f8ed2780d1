package org.mmtune.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.BooleanSupplier;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.Sample;

/** Evaluates a segmenter over a list of images: confusion matrix, IoUs, and optionally prediction PNGs. */
public final class Evaluator {

    /** Reads image {@code i} of the evaluated split. */
    @FunctionalInterface
    public interface SampleSupplier {
        Sample read(int i) throws Exception;
    }

    private Evaluator() {
    }

    /**
     * @param predictionsDir where to write {@code <id>.png} palette predictions (null = none)
     * @param overlaysDir    where to write {@code <id>.png} colour overlays (null = none)
     * @param progress       called with the number of images done (may be null)
     * @param cancelled      polled before every image; evaluation stops early (and says so) when true
     */
    public static EvalResult evaluate(Segmenter seg, int count, SampleSupplier samples, List<ClassInfo> classes,
                                      String split, Path predictionsDir, Path overlaysDir, IntConsumer progress,
                                      BooleanSupplier cancelled) throws IOException {
        ConfusionMatrix cm = new ConfusionMatrix(classes.size());
        int done = 0;
        for (int i = 0; i < count; i++) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("evaluation cancelled after " + done + " images");
            }
            Sample s;
            try {
                s = samples.read(i);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            int[] pred = seg.predict(s.gray(), s.width(), s.height());
            cm.add(s.labels(), pred);
            if (predictionsDir != null) {
                PredictionImages.writePalette(predictionsDir.resolve(safe(s.id()) + ".png"), pred, s.width(),
                        s.height(), classes);
            }
            if (overlaysDir != null) {
                PredictionImages.writeOverlay(overlaysDir.resolve(safe(s.id()) + ".png"), s.rgb(), pred, s.width(),
                        s.height(), classes, 0.5);
            }
            done++;
            if (progress != null) {
                progress.accept(done);
            }
        }
        return EvalResult.of(cm, classes, done, split);
    }

    /** A file-name-safe form of an image id. */
    public static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
