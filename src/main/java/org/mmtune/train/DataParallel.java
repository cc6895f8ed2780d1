package org.mmtune.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.mmtune.nn.MmtuneNet;

/**
 * Data-parallel training over several devices: one replica of the network per device (the first is the
 * stage's own network, the master), each batch split along its first axis into one shard per device,
 * each shard forwarded by its replica on its device. The stage computes the loss from the outputs (for the
 * triplet loss, gathered onto the first device with {@link #gather}, so triplets may span shards; the copy
 * between devices is differentiable), one backward pass, then {@link #reduceGradients()} adds every
 * replica's gradients to the master's, the stage's {@link MomentumSgd} updates the master once, and
 * {@link #broadcast()} copies the master's parameters back to the replicas.
 *
 * <p>Batch norm normalises each shard with its own statistics (as PyTorch's DataParallel without
 * synchronised batch norm); the running statistics of the replicas are averaged into the master.
 * Several replicas on the CPU are allowed (that is how this is tested on a machine without GPUs).
 */
public final class DataParallel implements AutoCloseable {

    private final MmtuneNet master;
    private final List<Device> devices;
    private final List<MmtuneNet> replicas = new ArrayList<>();
    private final List<NDManager> managers = new ArrayList<>();
    /** A manager on the master's device: DJL's ParameterStore only serves the device of its manager. */
    private final NDManager firstDeviceManager;
    private final boolean[] used;

    /**
     * @param master     the stage's network, initialised on {@code devices.get(0)}
     * @param factory    builds a fresh network of the same architecture
     * @param devices    one per replica, at least two; may repeat (several replicas on the CPU)
     * @param inputShape input shape to initialise the replicas with
     */
    public DataParallel(MmtuneNet master, Supplier<MmtuneNet> factory, List<Device> devices, Shape inputShape) {
        if (devices.size() < 2) {
            throw new IllegalArgumentException("data-parallel training needs at least two devices");
        }
        this.master = master;
        this.devices = List.copyOf(devices);
        this.used = new boolean[devices.size()];
        replicas.add(master);
        this.firstDeviceManager = NDManager.newBaseManager(devices.get(0));
        try {
            for (int k = 1; k < devices.size(); k++) {
                NDManager m = NDManager.newBaseManager(devices.get(k));
                managers.add(m);
                MmtuneNet r = factory.get();
                r.initialize(m, DataType.FLOAT32, inputShape);
                replicas.add(r);
            }
            broadcast();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public int size() {
        return devices.size();
    }

    public List<Device> devices() {
        return devices;
    }

    /** Row counts of the shards of an {@code n}-row batch: near-equal, the first shards one larger. */
    public int[] shardSizes(long n) {
        int k = devices.size();
        int[] s = new int[k];
        for (int i = 0; i < k; i++) {
            s[i] = (int) (n / k + (i < n % k ? 1 : 0));
        }
        return s;
    }

    /**
     * Splits {@code batch} (rows on axis 0) into shards and forwards each with its replica on its device.
     * Empty shards (fewer rows than devices) are skipped: the list then has fewer entries.
     */
    public List<NDArray> forward(NDArray batch, boolean training) {
        return forwardShards(split(batch), training);
    }

    /** Splits {@code a} along axis 0 like {@link #forward}, each shard on its replica's device. */
    public List<NDArray> split(NDArray a) {
        int[] sizes = shardSizes(a.getShape().get(0));
        List<NDArray> out = new ArrayList<>();
        long start = 0;
        for (int k = 0; k < sizes.length; k++) {
            if (sizes[k] == 0) {
                continue;
            }
            NDArray shard = a.get(start + ":" + (start + sizes[k]));
            out.add(shard.toDevice(devices.get(k), false));
            start += sizes[k];
        }
        return out;
    }

    /** Forwards shard {@code k} of {@code shards} (as returned by {@link #split}) with replica {@code k}. */
    public List<NDArray> forwardShards(List<NDArray> shards, boolean training) {
        List<NDArray> outs = new ArrayList<>(shards.size());
        for (int k = 0; k < shards.size(); k++) {
            NDArray x = shards.get(k);
            used[k] = true;
            ParameterStore ps = new ParameterStore(k == 0 ? firstDeviceManager : managers.get(k - 1), false);
            outs.add(replicas.get(k).forward(ps, new NDList(x), training).singletonOrThrow());
        }
        return outs;
    }

    /** The shards' outputs concatenated in batch order on the first device (differentiable). */
    public NDArray gather(List<NDArray> outputs) {
        Device first = devices.get(0);
        NDList onFirst = new NDList(outputs.size());
        for (NDArray o : outputs) {
            onFirst.add(o.toDevice(first, false));
        }
        return onFirst.size() == 1 ? onFirst.get(0) : NDArrays.concat(onFirst, 0);
    }

    /** The mean of per-shard scalar losses, on the first device (differentiable). */
    public NDArray meanLoss(List<NDArray> losses) {
        NDArray sum = null;
        for (NDArray l : losses) {
            NDArray x = l.toDevice(devices.get(0), false);
            sum = sum == null ? x : sum.add(x);
        }
        return sum.div(losses.size());
    }

    /**
     * After the backward pass: adds every used replica's gradients to the master's and zeroes them, and
     * sets the master's batch-norm running statistics to the mean over the used replicas.
     */
    public void reduceGradients() {
        List<Pair<String, Parameter>> mp = master.getParameters().stream().toList();
        int usedCount = 0;
        for (boolean u : used) {
            usedCount += u ? 1 : 0;
        }
        for (int k = 1; k < replicas.size(); k++) {
            if (!used[k]) {
                continue;
            }
            List<Pair<String, Parameter>> rp = replicas.get(k).getParameters().stream().toList();
            for (int i = 0; i < mp.size(); i++) {
                Parameter m = mp.get(i).getValue();
                NDArray r = rp.get(i).getValue().getArray();
                if (m.requiresGradient()) {
                    NDArray g = r.getGradient();
                    NDArray onFirst = g.toDevice(devices.get(0), true);
                    m.getArray().getGradient().addi(onFirst);
                    onFirst.close();
                    MomentumSgd.zero(r, g);
                } else if (used[0]) {
                    NDArray onFirst = r.toDevice(devices.get(0), true);
                    m.getArray().addi(onFirst);
                    onFirst.close();
                }
            }
        }
        if (usedCount > 1 && used[0]) {
            for (Pair<String, Parameter> p : mp) {
                if (!p.getValue().requiresGradient()) {
                    p.getValue().getArray().divi(usedCount);
                }
            }
        }
        java.util.Arrays.fill(used, false);
    }

    /** Forgets this iteration's forward passes (no backward happened) and re-synchronises the replicas. */
    public void skipStep() {
        java.util.Arrays.fill(used, false);
        broadcast();
    }

    /** Copies the master's parameters (and batch-norm statistics) into every replica. */
    public void broadcast() {
        List<Pair<String, Parameter>> mp = master.getParameters().stream().toList();
        for (int k = 1; k < replicas.size(); k++) {
            List<Pair<String, Parameter>> rp = replicas.get(k).getParameters().stream().toList();
            for (int i = 0; i < mp.size(); i++) {
                NDArray src = mp.get(i).getValue().getArray();
                NDArray dst = rp.get(i).getValue().getArray();
                NDArray moved = src.toDevice(dst.getDevice(), true);
                dst.set(moved.toByteBuffer());
                moved.close();
            }
        }
    }

    /** Replica {@code k} (0 = the master), for tests. */
    MmtuneNet replica(int k) {
        return replicas.get(k);
    }

    @Override
    public void close() {
        managers.forEach(NDManager::close);
        managers.clear();
        firstDeviceManager.close();
    }
}
