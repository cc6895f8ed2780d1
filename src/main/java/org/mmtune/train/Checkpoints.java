package org.mmtune.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mmtune.nn.BackboneType;
import org.mmtune.nn.HeadKind;
import org.mmtune.nn.MmtuneNet;
import org.mmtune.nn.NetSpec;
import org.mmtune.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a run: {@code checkpoints/<stage>.params} holds a small header (backbone, width divisor,
 * head, outputs, iteration), the backbone's parameters and then the head's; {@code checkpoints/<stage>.momentum}
 * the optimizer's momentum buffers; {@code checkpoints/<stage>.json} says how far the stage got. All are
 * written atomically, params before the json, so the json never points at a newer state than the params hold.
 *
 * <p>The momentum is written before the params, so a kill between the two would leave momentum newer than
 * the weights. {@link #save} therefore first renames the momentum file matching the params on disk to
 * {@code <stage>.prev.momentum} and deletes it only after the json: at every moment one of the two momentum
 * files records the params' iteration, and resuming picks that one ({@link #momentumFileFor}). A leftover
 * previous file is ignored unless it matches the params.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final int MAGIC = 0x4d4d544e; // "MMTN"
    private static final int MOMENTUM_MAGIC = 0x4d4d4d4f; // "MMMO"
    /** Version 2 adds the iteration to the header, so the params file says what it holds by itself. */
    private static final int VERSION = 2;
    private static final int MOMENTUM_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a checkpoint holds. */
    public record Meta(String stage, int iteration, int totalIterations, boolean complete, String backbone,
                       int widthDivisor, String head, int outputs, double savedAt) {
        public NetSpec netSpec() {
            return new NetSpec(BackboneType.parse(backbone), widthDivisor);
        }
    }

    /**
     * The header of a params file; {@code iteration} is how many iterations of its stage the weights hold
     * (-1 in version 1 files, which do not record it).
     */
    public record Header(NetSpec spec, HeadKind head, int outputs, int iteration) {
    }

    private Checkpoints() {
    }

    public static Path paramsFile(Path dir, Stage stage) {
        return dir.resolve(stage.id() + ".params");
    }

    /** The optimizer's momentum buffers of a stage's checkpoint (absent in checkpoints from before they were saved). */
    public static Path momentumFile(Path dir, Stage stage) {
        return dir.resolve(stage.id() + ".momentum");
    }

    /** The momentum of the previous checkpoint, kept while a new one is being saved (see the class comment). */
    public static Path previousMomentumFile(Path dir, Stage stage) {
        return dir.resolve(stage.id() + ".prev.momentum");
    }

    public static Path metaFile(Path dir, Stage stage) {
        return dir.resolve(stage.id() + ".json");
    }

    public static void save(Path dir, Stage stage, MmtuneNet net, int iteration, int total, boolean complete)
            throws IOException {
        save(dir, stage, net, null, iteration, total, complete);
    }

    /** The steps of {@link #save} in order; a kill between any two leaves a checkpoint that resumes exactly. */
    enum SaveStep { KEEP_PREVIOUS_MOMENTUM, MOMENTUM, PARAMS, META, DROP_PREVIOUS_MOMENTUM }

    /** Told after each step of a save (tests stop a save there, as a kill would). */
    @FunctionalInterface
    interface SaveHook {
        void after(SaveStep step) throws IOException;
    }

    /**
     * Saves the network and, when {@code sgd} is given, its momentum buffers to {@code <stage>.momentum}
     * (momentum first, then params, then the json; each atomically; see the class comment for the previous
     * momentum file).
     */
    public static void save(Path dir, Stage stage, MmtuneNet net, MomentumSgd sgd, int iteration, int total,
                            boolean complete) throws IOException {
        save(dir, stage, net, sgd, iteration, total, complete, step -> { });
    }

    static void save(Path dir, Stage stage, MmtuneNet net, MomentumSgd sgd, int iteration, int total,
                     boolean complete, SaveHook hook) throws IOException {
        Files.createDirectories(dir);
        if (sgd != null) {
            keepMomentumOfSavedParams(dir, stage);
            hook.after(SaveStep.KEEP_PREVIOUS_MOMENTUM);
            AtomicFiles.write(momentumFile(dir, stage), out -> {
                DataOutputStream d = new DataOutputStream(out);
                d.writeInt(MOMENTUM_MAGIC);
                d.writeInt(MOMENTUM_VERSION);
                d.writeInt(iteration);
                sgd.saveState(d);
                d.flush();
            });
            hook.after(SaveStep.MOMENTUM);
        }
        saveParams(paramsFile(dir, stage), net, iteration);
        hook.after(SaveStep.PARAMS);
        Meta meta = new Meta(stage.id(), iteration, total, complete, net.spec().backbone().id(),
                net.spec().widthDivisor(), net.kind().name(), net.outputs(), System.currentTimeMillis() / 1000.0);
        AtomicFiles.writeString(metaFile(dir, stage), JSON.writeValueAsString(meta));
        hook.after(SaveStep.META);
        try {
            Files.deleteIfExists(previousMomentumFile(dir, stage));
        } catch (IOException e) {
            LOG.debug("could not remove the previous momentum file in {} (harmless, ignored on resume)", dir, e);
        }
        hook.after(SaveStep.DROP_PREVIOUS_MOMENTUM);
    }

    /**
     * Writes only a params file (header, backbone, head) atomically, e.g. the initial weights of a run that
     * its probes measure; {@link #loadBackbone} reads it like a stage's checkpoint.
     */
    public static void saveParams(Path file, MmtuneNet net, int iteration) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(MAGIC);
            d.writeInt(VERSION);
            d.writeUTF(net.spec().backbone().id());
            d.writeInt(net.spec().widthDivisor());
            d.writeUTF(net.kind().name());
            d.writeInt(net.outputs());
            d.writeInt(iteration);
            net.saveBackbone(d);
            net.saveHead(d);
            d.flush();
        });
    }

    /**
     * Writes a checkpoint outside a run (e.g. imported weights): {@code params} and, beside it, its json
     * ({@code X.params} → {@code X.json}) with {@code stage} as the stage name; both atomically, params first.
     * {@code initCheckpoint}, {@code embed}, {@code eval} and the workbench read it like a run's checkpoint.
     */
    public static void saveStandalone(Path params, MmtuneNet net, String stage) throws IOException {
        saveParams(params, net, 0);
        Meta meta = new Meta(stage, 0, 0, true, net.spec().backbone().id(), net.spec().widthDivisor(),
                net.kind().name(), net.outputs(), System.currentTimeMillis() / 1000.0);
        AtomicFiles.writeString(standaloneMetaFile(params), JSON.writeValueAsString(meta));
    }

    /** The json beside a standalone checkpoint: {@code X.params} → {@code X.json}. */
    public static Path standaloneMetaFile(Path params) {
        String n = params.getFileName().toString();
        String stem = n.endsWith(".params") ? n.substring(0, n.length() - ".params".length()) : n;
        return params.resolveSibling(stem + ".json");
    }

    /**
     * Before a new momentum file replaces {@code <stage>.momentum}: if that file matches the params on disk,
     * renames it to {@code <stage>.prev.momentum}. If it does not (an earlier save was killed after writing
     * its momentum), the previous file is the one that matches and stays.
     */
    private static void keepMomentumOfSavedParams(Path dir, Stage stage) throws IOException {
        java.util.OptionalInt saved;
        try {
            saved = resumePoint(dir, stage);
        } catch (IOException e) {
            saved = java.util.OptionalInt.empty(); // unreadable params: no momentum can match them
        }
        Path current = momentumFile(dir, stage);
        if (saved.isPresent() && momentumIteration(current).equals(saved)) {
            AtomicFiles.rename(current, previousMomentumFile(dir, stage));
        }
    }

    public static Optional<Meta> meta(Path dir, Stage stage) throws IOException {
        Path f = metaFile(dir, stage);
        if (!Files.isRegularFile(f) || !Files.isRegularFile(paramsFile(dir, stage))) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), Meta.class));
        } catch (IOException e) {
            throw new IOException(f + ": unreadable checkpoint metadata (" + e.getMessage() + ")", e);
        }
    }

    /** Reads only the header of a params file. */
    public static Header header(Path params) throws IOException {
        try (DataInputStream in = open(params)) {
            return readHeader(params, in);
        }
    }

    private static DataInputStream open(Path params) throws IOException {
        InputStream raw = Files.newInputStream(params);
        return new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    }

    private static Header readHeader(Path params, DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException(params + ": not an mmtune checkpoint");
        }
        int v = in.readInt();
        if (v != 1 && v != VERSION) {
            throw new IOException(params + ": unsupported checkpoint version " + v);
        }
        try {
            BackboneType bt = BackboneType.parse(in.readUTF());
            int div = in.readInt();
            HeadKind head = HeadKind.valueOf(in.readUTF());
            int outputs = in.readInt();
            int iteration = v >= 2 ? in.readInt() : -1;
            return new Header(new NetSpec(bt, div), head, outputs, iteration);
        } catch (java.io.EOFException e) {
            throw new IOException(params + ": truncated checkpoint (the header is incomplete)", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(params + ": bad checkpoint header (" + e.getMessage() + ")", e);
        }
    }

    /** Loads the backbone of {@code params} into {@code net} (whose backbone must have the same spec). */
    public static void loadBackbone(Path params, MmtuneNet net) throws IOException {
        try (DataInputStream in = open(params)) {
            Header h = readHeader(params, in);
            checkSpec(params, h, net);
            net.loadBackbone(in);
        } catch (IOException e) {
            throw named(params, e);
        }
    }

    /** Loads backbone and head (same head kind and outputs). */
    public static void loadFull(Path params, MmtuneNet net) throws IOException {
        try (DataInputStream in = open(params)) {
            Header h = readHeader(params, in);
            checkSpec(params, h, net);
            if (h.head() != net.kind() || h.outputs() != net.outputs()) {
                throw new IOException(params + ": checkpoint has a " + h.head() + " head with " + h.outputs()
                        + " outputs, the network needs " + net.kind() + " with " + net.outputs());
            }
            net.loadBackbone(in);
            net.loadHead(in);
        } catch (IOException e) {
            throw named(params, e);
        }
    }

    private static IOException named(Path file, IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
            return e;
        }
        if (e instanceof java.io.EOFException || e.getCause() instanceof java.io.EOFException) {
            return new IOException(file + ": truncated checkpoint (it ends before all parameters are read)", e);
        }
        return new IOException(file + ": " + e.getMessage(), e);
    }

    /**
     * Where a stage's checkpoint lets it resume: the iteration its params file holds (recorded in the header
     * since version 2; for version 1 files the one in {@code <stage>.json}). Empty when there is no params
     * file, or a version 1 file without its json. The params file is the truth: after a kill between writing
     * the params and the json, the json still names the previous iteration.
     */
    public static java.util.OptionalInt resumePoint(Path dir, Stage stage) throws IOException {
        Path params = paramsFile(dir, stage);
        if (!Files.isRegularFile(params)) {
            return java.util.OptionalInt.empty();
        }
        Header h = header(params);
        if (h.iteration() >= 0) {
            return java.util.OptionalInt.of(h.iteration());
        }
        Optional<Meta> m = meta(dir, stage);
        return m.isPresent() ? java.util.OptionalInt.of(m.get().iteration()) : java.util.OptionalInt.empty();
    }

    /** The iteration recorded in a stage's momentum file, or empty if there is none (or it is unreadable). */
    public static java.util.OptionalInt momentumIteration(Path dir, Stage stage) {
        return momentumIteration(momentumFile(dir, stage));
    }

    /** The iteration recorded in a momentum file, or empty if there is none (or it is unreadable). */
    public static java.util.OptionalInt momentumIteration(Path f) {
        if (!Files.isRegularFile(f)) {
            return java.util.OptionalInt.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 64))) {
            if (in.readInt() != MOMENTUM_MAGIC || in.readInt() != MOMENTUM_VERSION) {
                return java.util.OptionalInt.empty();
            }
            return java.util.OptionalInt.of(in.readInt());
        } catch (IOException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /**
     * The momentum file saved with the params of {@code iteration}: {@code <stage>.momentum}, or
     * {@code <stage>.prev.momentum} after a kill in the middle of a save; empty when neither records it.
     */
    public static Optional<Path> momentumFileFor(Path dir, Stage stage, int iteration) {
        for (Path f : java.util.List.of(momentumFile(dir, stage), previousMomentumFile(dir, stage))) {
            java.util.OptionalInt it = momentumIteration(f);
            if (it.isPresent() && it.getAsInt() == iteration) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static void checkSpec(Path params, Header h, MmtuneNet net) throws IOException {
        if (!h.spec().equals(net.spec())) {
            throw new IOException(params + ": does not fit the network: it holds " + h.spec().backbone().id()
                    + " width ÷" + h.spec().widthDivisor() + ", the network is " + net.spec().backbone().id()
                    + " width ÷" + net.spec().widthDivisor());
        }
    }

    /**
     * Loads the momentum buffers saved with a checkpoint at {@code iteration} into {@code sgd}, from the
     * momentum file that records it ({@link #momentumFileFor}). Returns false (leaving {@code sgd} fresh) when
     * there is no momentum file, e.g. in checkpoints from before momentum was saved; a momentum file of
     * another iteration is refused.
     */
    public static boolean loadMomentum(Path dir, Stage stage, int iteration, MomentumSgd sgd, MmtuneNet net)
            throws IOException {
        Path f = momentumFileFor(dir, stage, iteration).orElse(momentumFile(dir, stage));
        if (!Files.isRegularFile(f)) {
            return false;
        }
        loadMomentum(f, iteration, sgd, net);
        return true;
    }

    /** Loads the momentum file {@code f}, which must record {@code iteration}, into {@code sgd}. */
    public static void loadMomentum(Path f, int iteration, MomentumSgd sgd, MmtuneNet net) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            if (in.readInt() != MOMENTUM_MAGIC) {
                throw new IOException(f + ": not an mmtune momentum file");
            }
            int v = in.readInt();
            if (v != MOMENTUM_VERSION) {
                throw new IOException(f + ": unsupported momentum file version " + v);
            }
            int it = in.readInt();
            if (it != iteration) {
                throw new IOException(f + ": momentum is from iteration " + it + ", the checkpoint from " + iteration);
            }
            sgd.loadState(in, net);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(f.toString()) ? e
                    : new IOException(f + ": " + e.getMessage(), e);
        }
    }
}
