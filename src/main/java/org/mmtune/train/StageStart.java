package org.mmtune.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.mmtune.nn.MmtuneNet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides where a stage starts: its own partial checkpoint (resume), a backbone checkpoint, or random init. */
final class StageStart {

    private static final Logger LOG = LoggerFactory.getLogger(StageStart.class);

    private StageStart() {
    }

    private static void note(StageContext ctx, String msg) {
        LOG.info(msg);
        ctx.listeners().forEach(l -> l.onMessage(msg));
    }

    /**
     * Restores the momentum saved with the weights of iteration {@code it}: from {@code <stage>.momentum}, or
     * from {@code <stage>.prev.momentum} when the run was killed after a save wrote the new momentum but
     * before the new params. Fresh momentum (with a note) only for checkpoints without a matching file.
     */
    private static void resumeMomentum(StageContext ctx, Stage stage, MmtuneNet net, MomentumSgd sgd, int it)
            throws IOException {
        Path dir = ctx.checkpointDir();
        Optional<Path> file = Checkpoints.momentumFileFor(dir, stage, it);
        if (file.isPresent()) {
            Checkpoints.loadMomentum(file.get(), it, sgd, net);
            if (file.get().equals(Checkpoints.previousMomentumFile(dir, stage))) {
                note(ctx, stage.id() + ": the run was stopped while saving a checkpoint; momentum buffers of "
                        + "iteration " + it + " restored from " + file.get().getFileName());
            }
            return;
        }
        java.util.OptionalInt other = Checkpoints.momentumIteration(dir, stage);
        if (other.isPresent()) {
            note(ctx, stage.id() + ": no momentum buffers match the weights of iteration " + it + " ("
                    + Checkpoints.momentumFile(dir, stage).getFileName() + " is from iteration " + other.getAsInt()
                    + "); resuming with fresh momentum");
        } else if (java.nio.file.Files.exists(Checkpoints.momentumFile(dir, stage))) {
            note(ctx, stage.id() + ": " + Checkpoints.momentumFile(dir, stage).getFileName()
                    + " is unreadable; resuming with fresh momentum");
        } else {
            note(ctx, stage.id() + ": checkpoint has no momentum buffers (older format); resuming with fresh momentum");
        }
    }

    /**
     * Loads the starting weights into {@code net} and returns the number of iterations already done.
     *
     * @param initBackbone params file whose backbone initialises this stage (null = random)
     * @param resume       continue from this stage's own checkpoint when it is partial
     */
    static int prepare(StageContext ctx, Stage stage, MmtuneNet net, Path initBackbone, boolean resume)
            throws IOException {
        return prepare(ctx, stage, net, null, initBackbone, resume);
    }

    /** As above; on resume also restores {@code sgd}'s momentum buffers when the checkpoint has them. */
    static int prepare(StageContext ctx, Stage stage, MmtuneNet net, MomentumSgd sgd, Path initBackbone,
                       boolean resume) throws IOException {
        if (resume) {
            java.util.OptionalInt point = Checkpoints.resumePoint(ctx.checkpointDir(), stage);
            if (point.isPresent()) {
                Checkpoints.loadFull(Checkpoints.paramsFile(ctx.checkpointDir(), stage), net);
                int it = point.getAsInt();
                Optional<Checkpoints.Meta> meta = Checkpoints.meta(ctx.checkpointDir(), stage);
                if (meta.isEmpty() || meta.get().iteration() != it) {
                    note(ctx, stage.id() + ": the checkpoint's weights are from iteration " + it + " but its json "
                            + meta.map(m -> "says " + m.iteration()).orElse("is missing")
                            + " (the run was stopped while saving); resuming from iteration " + it);
                }
                if (sgd != null) {
                    resumeMomentum(ctx, stage, net, sgd, it);
                }
                note(ctx, "resuming " + stage.id() + " from its checkpoint at iteration " + it);
                return it;
            }
        }
        if (initBackbone != null) {
            Checkpoints.loadBackbone(initBackbone, net);
            String msg = stage.id() + ": backbone initialised from " + initBackbone;
            LOG.info(msg);
            ctx.listeners().forEach(l -> l.onMessage(msg));
        } else {
            ctx.listeners().forEach(l -> l.onMessage(stage.id() + ": backbone randomly initialised (seed "
                    + ctx.seed() + ")"));
        }
        ctx.listeners().forEach(l -> l.onInitialWeights(stage, net));
        return 0;
    }
}
