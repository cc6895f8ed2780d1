package org.mmtune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmtune.data.ClassInfo;
import org.mmtune.data.DatasetException;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.match.MatchStrategy;
import org.mmtune.match.MixMatchService;
import org.mmtune.mix.BatchLoader;
import org.mmtune.mix.ContactSheet;
import org.mmtune.mix.MixConfig;
import org.mmtune.mix.MixStats;
import org.mmtune.mix.MixedBatch;
import org.mmtune.mix.Mixer;
import org.mmtune.mix.Patch;
import org.mmtune.util.AtomicFiles;

/** One sampled batch for the {@code mix} and {@code match} commands: dataset, settings, patches, timings. */
final class MixRun {

    final SegmentationDataset dataset;
    final MixConfig config;
    final String split;
    final long batchIndex;
    final BatchLoader.Loaded loaded;
    final MixedBatch batch;
    final double decodeSeconds;
    final double mixSeconds;
    final MixMatchService service;

    private MixRun(SegmentationDataset dataset, MixConfig config, String split, long batchIndex,
                   BatchLoader.Loaded loaded, MixedBatch batch, double decodeSeconds, double mixSeconds,
                   MixMatchService service) {
        this.service = service;
        this.dataset = dataset;
        this.config = config;
        this.split = split;
        this.batchIndex = batchIndex;
        this.loaded = loaded;
        this.batch = batch;
        this.decodeSeconds = decodeSeconds;
        this.mixSeconds = mixSeconds;
    }

    static MixRun sample(MixOptions o, Mixer.Crops crops) throws DatasetException {
        return sample(o, crops, MatchStrategy.CLASSWISE, false);
    }

    /** Batch {@code --batch} of the split through the shared mix-and-match service. */
    static MixRun sample(MixOptions o, Mixer.Crops crops, MatchStrategy strategy, boolean semiHard)
            throws DatasetException {
        MixConfig cfg = o.config();
        SegmentationDataset ds = o.open();
        MixMatchService service = MixMatchService.forDataset(ds, cfg, strategy, semiHard);
        long t0 = System.nanoTime();
        BatchLoader.Loaded loaded = service.load(o.pool(ds), o.batch, o.threadCount());
        long t1 = System.nanoTime();
        if (loaded.samples().isEmpty()) {
            throw new DatasetException(ds.root() + ": none of the " + loaded.skipped().size()
                    + " chosen images of split '" + o.split + "' could be read (first: " + loaded.skipped().get(0) + ")");
        }
        MixedBatch b = service.mix(loaded, o.batch, crops, o.threadCount());
        long t2 = System.nanoTime();
        return new MixRun(ds, cfg, o.split, o.batch, loaded, b, (t1 - t0) / 1e9, (t2 - t1) / 1e9, service);
    }

    String className(int index) {
        return index >= 0 && index < dataset.numClasses() ? dataset.classInfo(index).name() : "class " + index;
    }

    int[] classColours() {
        return dataset.classes().stream().mapToInt(ClassInfo::rgb).toArray();
    }

    void printSummary(PrintWriter out) {
        MixStats s = MixStats.of(batch.patches());
        out.printf("dataset   %s, split %s, batch %d, seed %d%n", dataset.name(), split, batchIndex, config.seed());
        out.printf("images    %d (skipped %d unreadable)%n", loaded.samples().size(), loaded.skipped().size());
        for (String sk : loaded.skipped().subList(0, Math.min(5, loaded.skipped().size()))) {
            out.printf("  skipped: %s%n", sk);
        }
        out.printf("patches   %d, mean size %.1f px, mean purity %.3f%n", s.patches(), s.meanSize(), s.meanPurity());
        out.printf("%n%3s %-18s %8s %7s %10s %12s%n", "#", "class", "patches", "share", "mean size", "mean purity");
        s.perClass().forEach((cls, c) -> out.printf("%3d %-18s %8d %6.1f%% %10.1f %12.3f%n", cls,
                className(cls), c.count(), 100 * c.share(), c.meanSize(), c.meanPurity()));
        out.printf("%ndecoded in %.0f ms, sampled and cropped in %.0f ms%n", 1000 * decodeSeconds, 1000 * mixSeconds);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset.name());
        m.put("root", dataset.root().toString());
        m.put("split", split);
        m.put("batch", batchIndex);
        m.put("config", config);
        List<Map<String, Object>> imgs = new ArrayList<>();
        for (int i = 0; i < loaded.samples().size(); i++) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("index", loaded.indices()[i]);
            im.put("id", loaded.samples().get(i).id());
            im.put("width", loaded.samples().get(i).width());
            im.put("height", loaded.samples().get(i).height());
            imgs.add(im);
        }
        m.put("images", imgs);
        m.put("skipped", loaded.skipped());
        m.put("patches", patchesJson(batch.patches()));
        MixStats s = MixStats.of(batch.patches());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("patches", s.patches());
        st.put("images", s.images());
        st.put("meanSize", s.meanSize());
        st.put("meanPurity", s.meanPurity());
        Map<String, Object> per = new LinkedHashMap<>();
        s.perClass().forEach((cls, c) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", className(cls));
            e.put("count", c.count());
            e.put("share", c.share());
            e.put("meanSize", c.meanSize());
            e.put("meanPurity", c.meanPurity());
            per.put(String.valueOf(cls), e);
        });
        st.put("perClass", per);
        st.put("decodeSeconds", decodeSeconds);
        st.put("sampleCropSeconds", mixSeconds);
        m.put("stats", st);
        return m;
    }

    static List<Map<String, Object>> patchesJson(List<Patch> patches) {
        List<Map<String, Object>> l = new ArrayList<>(patches.size());
        for (Patch p : patches) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("image", p.imageId());
            e.put("imageIndex", p.imageIndex());
            e.put("cx", p.cx());
            e.put("cy", p.cy());
            e.put("size", p.size());
            e.put("label", p.label());
            e.put("purity", p.purity());
            l.add(e);
        }
        return l;
    }

    static void writeJson(Path file, Object value) throws IOException {
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(value);
        AtomicFiles.writeBytes(file, bytes);
    }

    void writeGrid(Path file) throws IOException {
        AtomicFiles.writeBytes(file, ContactSheet.png(batch, classColours(), 0, 3));
    }
}
