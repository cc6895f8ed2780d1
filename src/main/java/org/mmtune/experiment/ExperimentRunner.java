package org.mmtune.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mmtune.data.DatasetException;
import org.mmtune.data.ImagePair;
import org.mmtune.data.Sample;
import org.mmtune.data.SegmentationDataset;
import org.mmtune.eval.EvalResult;
import org.mmtune.eval.Evaluator;
import org.mmtune.eval.Segmenter;
import org.mmtune.experiment.runs.RunFiles;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.train.CancellationToken;
import org.mmtune.train.Checkpoints;
import org.mmtune.train.ColorizationStage;
import org.mmtune.train.Devices;
import org.mmtune.train.FinetuneStage;
import org.mmtune.train.LrSchedule;
import org.mmtune.train.MixMatchStage;
import org.mmtune.train.PatchBatchSource;
import org.mmtune.train.Stage;
import org.mmtune.train.StageContext;
import org.mmtune.train.StageOutcome;
import org.mmtune.train.StageTrainer;
import org.mmtune.train.TrainingListener;
import org.mmtune.train.TrainingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment into a run folder: proxy (colorization) → M&amp;M → fine-tuning → evaluation, each
 * stage optional; a stage starts from the previous enabled stage's checkpoint (or
 * {@code initCheckpoint}, or random init). With {@code resume}, finished stages are skipped and a
 * partial stage continues from its checkpoint. Never throws for expected failures: the outcome and
 * {@code status.json} say finished, cancelled or failed with a one-line message.
 */
public final class ExperimentRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    /** The run folder's list of the labelled training images (one id per line), see {@link LabelledSubset}. */
    public static final String LABELLED_FILE = "labelled.txt";

    private final ExperimentConfig cfg;
    private final Path runDir;
    private final boolean resume;
    private final CancellationToken cancel;
    private final List<TrainingListener> extra;
    private final DatasetSource datasets;
    private final PatchSourceFactory patches;
    private String deviceOverride;
    private String devicesSpec;
    private int cpuReplicas = 1;

    public ExperimentRunner(ExperimentConfig cfg, Path runDir, boolean resume, CancellationToken cancel,
                            List<TrainingListener> listeners, DatasetSource datasets, PatchSourceFactory patches) {
        this.cfg = cfg;
        this.runDir = runDir;
        this.resume = resume;
        this.cancel = cancel;
        this.extra = List.copyOf(listeners);
        this.datasets = datasets;
        this.patches = patches;
    }

    /** Overrides the config's device (CLI {@code --device}). */
    public ExperimentRunner device(String device) {
        this.deviceOverride = device;
        return this;
    }

    /**
     * Chooses the devices of data-parallel training (CLI {@code --devices}: N or a list of GPU ids; default all
     * GPUs) and, on the CPU, the number of replicas (CLI {@code --cpu-replicas}, for tests).
     */
    public ExperimentRunner devices(String spec, int cpuReplicas) {
        this.devicesSpec = spec;
        this.cpuReplicas = cpuReplicas;
        return this;
    }

    public RunOutcome run() throws IOException {
        try (RunFolder run = RunFolder.open(runDir, resume)) {
            return runIn(run);
        }
    }

    private RunOutcome runIn(RunFolder run) {
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(run);
        listeners.addAll(extra);
        String current = "";
        try {
            if (deviceOverride != null) {
                cfg.device = deviceOverride;
            }
            if (cfg.arm == null) {
                cfg.arm = cfg.resolvedArm();
            }
            if (!resume) {
                run.writeConfig(cfg);
            }
            run.status("running", firstStage(), resume ? "resuming" : "starting");
            run.log((resume ? "resumed" : "started") + " " + cfg.name + " (arm " + cfg.arm + ", seed " + cfg.seed + ") in " + runDir
                    + ", pid " + ProcessHandle.current().pid());
            NetSpec spec = new NetSpec(BackboneType.parse(cfg.backbone.type), cfg.backbone.widthDivisor);
            Path init = cfg.initCheckpoint == null ? null : Path.of(cfg.initCheckpoint);
            checkInitCheckpoint(init, spec);
            List<Device> devices = Devices.selectAll(cfg.device, devicesSpec, cpuReplicas);
            Device device = devices.get(0);
            org.mmtune.experiment.EngineInfo engine = org.mmtune.experiment.EngineInfo.current();
            engine.lines(devices).forEach(run::log);
            engine.autoOnCpu(cfg.device, devices).ifPresent(line -> {
                run.log(line);
                LOG.warn(line);
            });
            if (!device.isGpu()) {
                org.mmtune.train.KernelCheck.requireFiniteGradients();
            }
            run.log("device " + Devices.describe(devices) + ", backbone " + spec.backbone().id() + " width ÷"
                    + spec.widthDivisor());
            Path dsPath = DatasetPaths.resolve(cfg.dataset);
            SegmentationDataset ds = datasets.open(dsPath);
            run.log("dataset " + ds);
            List<Sample> train = load(run, ds, cfg.trainSplit, cfg.maxTrainImages);
            LabelledSubset labelled = LabelledSubset.choose(train, cfg);
            org.mmtune.util.AtomicFiles.writeString(run.dir().resolve(LABELLED_FILE), labelled.fileText());
            run.log(labelled.describe(cfg));
            boolean probing = cfg.probes.enabled;
            boolean needVal = (cfg.finetune.enabled && cfg.finetune.evalEvery > 0) || probing;
            List<Sample> val = needVal ? load(run, ds, cfg.valSplit, cfg.maxValImages) : List.of();
            StageContext ctx = new StageContext(spec, device, run.checkpoints(), cancel, listeners, cfg.seed, devices);
            Path initialWeights = init;
            if (probing && init == null) {
                // the first stage starts from weights on disk, so that the probes measure exactly them
                initialWeights = run.checkpoints().resolve(INITIAL_PARAMS);
                if (!Files.isRegularFile(initialWeights)) {
                    ProbeRunner.writeInitial(initialWeights, spec, device, cfg.seed);
                }
                init = initialWeights;
            }

            if (cfg.proxy.enabled) {
                current = Stage.PROXY.id();
                ExperimentConfig.Proxy p = cfg.proxy;
                if (!alreadyDone(run, Stage.PROXY)) {
                    TrainingLoop.Result r = ColorizationStage.run(ctx, new ColorizationStage.Settings(p.iterations,
                            p.batchSize, p.cropSize, lr(p), p.momentum, p.weightDecay, p.abGrid, p.checkpointEvery,
                            p.classRebalance),
                            train, init, resume);
                    if (r.outcome() != StageOutcome.FINISHED) {
                        return end(run, r, current);
                    }
                }
                init = Checkpoints.paramsFile(run.checkpoints(), Stage.PROXY);
            }
            if (cfg.mm.enabled) {
                current = Stage.MM.id();
                ExperimentConfig.MixMatch m = cfg.mm;
                if (!alreadyDone(run, Stage.MM)) {
                    run.log("mm: patches from " + labelled.images().size() + " labelled training images");
                    PatchBatchSource src = patches.create(m, ds, labelled.images(), cfg.seed);
                    TrainingLoop.Result r = MixMatchStage.run(ctx, new MixMatchStage.Settings(m.iterations, lr(m),
                            m.momentum, m.weightDecay, m.margin, m.embeddingsEvery, m.checkpointEvery, m.outSize,
                            m.freezeBatchNorm),
                            src, init, resume);
                    if (r.outcome() != StageOutcome.FINISHED) {
                        return end(run, r, current);
                    }
                }
                init = Checkpoints.paramsFile(run.checkpoints(), Stage.MM);
            }
            ObjectNode probeResults = null;
            if (probing) {
                current = "probes";
                probeResults = runProbes(run, ds, labelled.images(), val, initialWeights, device);
            }
            if (cfg.finetune.enabled) {
                current = Stage.FINETUNE.id();
                ExperimentConfig.Finetune f = cfg.finetune;
                if (!alreadyDone(run, Stage.FINETUNE)) {
                    List<Sample> evalPoints = f.evalImages > 0 && val.size() > f.evalImages
                            ? val.subList(0, f.evalImages) : val;
                    TrainingLoop.Result r = FinetuneStage.run(ctx, new FinetuneStage.Settings(f.iterations,
                            f.batchSize, f.cropSize, lr(f), f.momentum, f.weightDecay, f.flip, f.checkpointEvery,
                            f.evalEvery), labelled.images(), evalPoints, ds.classes(), ds.ignoreIndex(), init, resume);
                    if (r.outcome() != StageOutcome.FINISHED) {
                        return end(run, r, current);
                    }
                }
            }
            EvalResult results = null;
            if (cfg.eval.enabled) {
                current = Stage.EVAL.id();
                run.status("running", current, "evaluating on " + cfg.evalSplit());
                results = evaluate(run, ds, spec, device, listeners);
                run.writeResults(results, probeResults);
                String msg = String.format(java.util.Locale.ROOT, "%s: mIoU %.4f, pixel accuracy %.4f on %s (%d images)",
                        cfg.name, results.mIoU(), results.pixelAccuracy(), cfg.evalSplit(), results.images());
                run.log(msg);
            }
            String done = results == null ? "finished" : String.format(java.util.Locale.ROOT,
                    "finished: mIoU %.4f, pixel accuracy %.4f", results.mIoU(), results.pixelAccuracy());
            run.status("finished", current.isEmpty() ? null : current, done);
            return new RunOutcome("finished", done, results);
        } catch (CancellationException e) {
            String msg = current + " cancelled";
            run.log(msg);
            run.status("cancelled", current.isEmpty() ? null : current, msg);
            return new RunOutcome("cancelled", msg, null);
        } catch (DatasetException | IOException | RuntimeException | OutOfMemoryError e) {
            LOG.debug("run failed", e);
            String msg = org.mmtune.util.Failures.isOutOfMemory(e) ? outOfMemory(current) : oneLine(e);
            run.log("failed: " + msg);
            run.status("failed", current.isEmpty() ? null : current, msg);
            return new RunOutcome("failed", msg, null);
        }
    }

    /** The initial weights of a probed run that starts from random initialisation, in its checkpoints folder. */
    public static final String INITIAL_PARAMS = "initial.params";

    /**
     * Probes the initial weights and each trained stage's checkpoint ({@code initial}, {@code proxy},
     * {@code mm}: those the run has) and writes {@code probes.json}; a resumed run reuses a complete one.
     */
    private ObjectNode runProbes(RunFolder run, SegmentationDataset ds, List<Sample> train, List<Sample> val,
                                 Path initial, Device device) throws IOException {
        Path file = run.dir().resolve(RunFolder.PROBES);
        java.util.LinkedHashMap<String, Path> todo = new java.util.LinkedHashMap<>();
        if (initial != null) {
            todo.put("initial", initial);
        }
        if (cfg.proxy.enabled) {
            todo.put("proxy", Checkpoints.paramsFile(run.checkpoints(), Stage.PROXY));
        }
        if (cfg.mm.enabled) {
            todo.put("mm", Checkpoints.paramsFile(run.checkpoints(), Stage.MM));
        }
        if (resume && Files.isRegularFile(file)) {
            try {
                ObjectNode old = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
                if (old != null && todo.keySet().stream().allMatch(old::has)) {
                    run.log("probes already measured, kept from " + RunFolder.PROBES);
                    return old;
                }
            } catch (IOException | ClassCastException e) {
                run.log("probes: " + RunFolder.PROBES + " unreadable, measuring again");
            }
        }
        run.status("running", "probes", "probing " + String.join(", ", todo.keySet()));
        long t0 = System.nanoTime();
        org.mmtune.eval.Probes.Data data = ProbeRunner.data(cfg, ds, train, val);
        run.log(String.format(java.util.Locale.ROOT, "probe data: %d gallery patches, %d query patches, %d + %d "
                        + "images for the linear probe (%.1f s)", data.gallery().count(), data.queries().count(),
                data.linearTrain().size(), data.linearVal().size(), (System.nanoTime() - t0) / 1e9));
        ObjectNode out = RunFolder.jsonObject();
        String settings = ProbeRunner.settingsDigest(cfg);
        for (var e : todo.entrySet()) {
            String weights = ProbeRunner.sha256(e.getValue());
            Optional<ObjectNode> same = ProbeRunner.findInSiblings(run.dir(), weights, settings);
            ObjectNode n;
            double secs = 0;
            if (same.isPresent()) {
                n = same.get();
                run.log("probe " + e.getKey() + ": the same weights were probed with the same settings in "
                        + n.path("probedIn").asText() + "; reused");
            } else {
                org.mmtune.eval.Probes.Result r = ProbeRunner.probe(e.getValue(), data,
                        ProbeRunner.settings(cfg.probes), device, cancel::isCancelled);
                n = RunFolder.jsonTree(r);
                secs = r.seconds();
                n.put("weightsSha256", weights);
                n.put("settingsSha256", settings);
                n.put("probedIn", run.dir().getFileName().toString());
            }
            out.set(e.getKey(), n);
            run.log(String.format(java.util.Locale.ROOT, "probe %s: k-NN accuracy %.4f (mean class %.4f), "
                            + "linear probe mIoU %.4f (%.1f s)", e.getKey(), n.path("knnAccuracy").asDouble(),
                    n.path("knnMeanClassAccuracy").asDouble(), n.path("linearProbeMIoU").asDouble(),
                    secs));
        }
        run.writeProbes(out);
        return out;
    }

    /** The plain advice for a stage that ran out of memory, naming the config keys that size its batches. */
    String outOfMemory(String stage) {
        String keys;
        if (Stage.PROXY.id().equals(stage)) {
            keys = "proxy.batchSize " + cfg.proxy.batchSize + " or proxy.cropSize " + cfg.proxy.cropSize;
        } else if (Stage.MM.id().equals(stage)) {
            keys = "mm.imagesPerBatch " + cfg.mm.imagesPerBatch + " x mm.patchesPerImage " + cfg.mm.patchesPerImage
                    + " or mm.outSize " + cfg.mm.outSize;
        } else if (Stage.FINETUNE.id().equals(stage)) {
            keys = "finetune.batchSize " + cfg.finetune.batchSize + " or finetune.cropSize " + cfg.finetune.cropSize;
        } else if (Stage.EVAL.id().equals(stage)) {
            keys = "maxValImages or the image size";
        } else {
            keys = "maxTrainImages " + cfg.maxTrainImages;
        }
        return "out of memory" + (stage.isEmpty() ? "" : " in " + stage) + ": the batch is too large; try a smaller "
                + keys + " (or a larger backbone.widthDivisor)";
    }

    /** Refuses, before any data is loaded, an initial checkpoint that is missing or made for another network. */
    static void checkInitCheckpoint(Path init, NetSpec spec) throws IOException {
        if (init == null) {
            return;
        }
        if (!Files.isRegularFile(init)) {
            throw new IOException("initCheckpoint: " + init + ": no such file");
        }
        Checkpoints.Header h;
        try {
            h = Checkpoints.header(init);
        } catch (IOException e) {
            throw new IOException("initCheckpoint: " + e.getMessage(), e);
        }
        if (!h.spec().equals(spec)) {
            throw new IOException("initCheckpoint: " + init + ": does not fit the network: it holds "
                    + h.spec().backbone().id() + " width ÷" + h.spec().widthDivisor() + ", the config asks for "
                    + spec.backbone().id() + " width ÷" + spec.widthDivisor()
                    + " (backbone.type / backbone.widthDivisor)");
        }
    }

    private String firstStage() {
        if (cfg.proxy.enabled) {
            return Stage.PROXY.id();
        }
        if (cfg.mm.enabled) {
            return Stage.MM.id();
        }
        return cfg.finetune.enabled ? Stage.FINETUNE.id() : Stage.EVAL.id();
    }

    private boolean alreadyDone(RunFolder run, Stage stage) throws IOException {
        if (!resume) {
            return false;
        }
        Optional<Checkpoints.Meta> m = Checkpoints.meta(run.checkpoints(), stage);
        if (m.isPresent() && m.get().complete()) {
            run.log(stage.id() + " already finished, skipped");
            return true;
        }
        return false;
    }

    private RunOutcome end(RunFolder run, TrainingLoop.Result r, String stage) {
        String state = r.outcome() == StageOutcome.CANCELLED ? "cancelled" : "failed";
        run.status(state, stage, r.message());
        return new RunOutcome(state, r.message(), null);
    }

    private static LrSchedule lr(ExperimentConfig.Sgd s) {
        return new LrSchedule(s.learningRate, s.lrStepEvery, s.lrStepFactor);
    }

    private List<Sample> load(RunFolder run, SegmentationDataset ds, String split, int max) throws DatasetException {
        List<ImagePair> pairs = ds.pairs(split);
        if (max > 0 && pairs.size() > max) {
            pairs = pairs.subList(0, max);
        }
        List<Sample> out = new ArrayList<>();
        int skipped = 0;
        for (ImagePair p : pairs) {
            if (cancel.isCancelled()) {
                throw new CancellationException("cancelled while loading " + split);
            }
            try {
                out.add(datasets.read(ds, p));
            } catch (DatasetException e) {
                skipped++;
                run.log("skipped " + p.id() + ": " + e.getMessage());
            }
        }
        run.log("loaded " + out.size() + " images of split " + split + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
        if (out.isEmpty()) {
            throw new DatasetException(ds.root() + ": split '" + split + "' has no readable images");
        }
        return out;
    }

    private EvalResult evaluate(RunFolder run, SegmentationDataset ds, NetSpec spec, Device device,
                                List<TrainingListener> listeners) throws IOException, DatasetException {
        String split = cfg.evalSplit();
        List<ImagePair> pairs = ds.pairs(split);
        if (cfg.maxValImages > 0 && pairs.size() > cfg.maxValImages) {
            pairs = pairs.subList(0, cfg.maxValImages);
        }
        List<ImagePair> evalPairs = pairs;
        Path params = Checkpoints.paramsFile(run.checkpoints(), Stage.FINETUNE);
        Path preds = cfg.eval.savePredictions ? RunFiles.predictions(run.dir()) : null;
        Path overlays = cfg.eval.saveOverlays ? RunFiles.overlays(run.dir()) : null;
        return evaluateCheckpoint(params, ds, evalPairs, datasets, device, split, preds, overlays, listeners, cancel);
    }

    /**
     * Loads a fine-tuned checkpoint and evaluates it on {@code pairs} (used by runs and by {@code mmtune eval}).
     */
    public static EvalResult evaluateCheckpoint(Path params, SegmentationDataset ds, List<ImagePair> pairs,
                                                DatasetSource datasets, Device device, String split, Path preds,
                                                Path overlays, List<TrainingListener> listeners,
                                                CancellationToken cancel) throws IOException {
        try (Loaded l = loadSegmenter(params, ds.numClasses(), device)) {
            int total = pairs.size();
            return Evaluator.evaluate(l.segmenter(), total, i -> datasets.read(ds, pairs.get(i)), ds.classes(), split,
                    preds, overlays, done -> listeners.forEach(x -> x.onProgress(Stage.EVAL, done, total)),
                    cancel == null ? null : cancel::isCancelled);
        }
    }

    /** A segmentation network loaded from a checkpoint, with its model and manager; close it after use. */
    public record Loaded(StageTrainer holder, Segmenter segmenter) implements AutoCloseable {
        @Override
        public void close() {
            holder.close();
        }
    }

    /** Loads {@code params} (a fine-tuned segmentation checkpoint) for inference. */
    public static Loaded loadSegmenter(Path params, int expectedClasses, Device device) throws IOException {
        if (!Files.isRegularFile(params)) {
            throw new IOException(params + ": no fine-tuned checkpoint (run the finetune stage first)");
        }
        Checkpoints.Header h = Checkpoints.header(params);
        if (h.head() != org.mmtune.nn.HeadKind.SEGMENTATION) {
            throw new IOException(params + ": not a segmentation checkpoint (" + h.head() + ")");
        }
        if (expectedClasses > 0 && h.outputs() != expectedClasses) {
            throw new IOException(params + ": does not fit the dataset: the checkpoint predicts " + h.outputs()
                    + " classes, the dataset has " + expectedClasses);
        }
        if (!device.isGpu()) {
            org.mmtune.train.KernelCheck.requireFiniteGradients();
        }
        MmtuneNet net = MmtuneNet.segmentation(h.spec(), h.outputs());
        StageTrainer holder = new StageTrainer("eval", net, device, new Shape(1, 1, 96, 96),
                new LrSchedule(0.01f, 0, 1f), 0f, 0f, 0);
        try {
            Checkpoints.loadFull(params, net);
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
        NDManager m = holder.trainer().getManager();
        return new Loaded(holder, new Segmenter(net, m));
    }

    static String oneLine(Throwable e) {
        return org.mmtune.util.Failures.firstLine(e);
    }
}
