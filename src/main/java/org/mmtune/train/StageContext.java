package org.mmtune.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.mmtune.nn.NetSpec;

/**
 * What every stage needs: the network spec, the device, where its checkpoints live, the cancellation
 * token, the listeners and the seed.
 */
public record StageContext(NetSpec spec, Device device, Path checkpointDir, CancellationToken cancel,
                           List<TrainingListener> listeners, long seed) {
}
