package org.mmtune.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mmtune.nn.NetSpec;

/**
 * What every stage needs: the network spec, the device, where its checkpoints live, the cancellation
 * token, the listeners and the seed; {@code devices} lists every device of data-parallel training (the
 * first is {@code device}; one entry = no data parallelism).
 */
public record StageContext(NetSpec spec, Device device, Path checkpointDir, CancellationToken cancel,
                           List<TrainingListener> listeners, long seed, List<Device> devices) {

    public StageContext {
        if (devices == null || devices.isEmpty()) {
            devices = List.of(device);
        } else if (!devices.get(0).equals(device)) {
            List<Device> d = new ArrayList<>(devices);
            d.add(0, device);
            devices = List.copyOf(d);
        } else {
            devices = List.copyOf(devices);
        }
    }

    /** One device, no data parallelism. */
    public StageContext(NetSpec spec, Device device, Path checkpointDir, CancellationToken cancel,
                        List<TrainingListener> listeners, long seed) {
        this(spec, device, checkpointDir, cancel, listeners, seed, List.of(device));
    }

    /** The same context on several devices (the first is the master device). */
    public StageContext onDevices(List<Device> all) {
        return new StageContext(spec, all.get(0), checkpointDir, cancel, listeners, seed, all);
    }
}
