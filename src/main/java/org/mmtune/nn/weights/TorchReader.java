package org.mmtune.nn.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.mmtune.nn.weights.RestrictedUnpickler.StorageRef;
import org.mmtune.nn.weights.RestrictedUnpickler.TensorRef;

/**
 * PyTorch {@code torch.save} files ({@code .pth}, {@code .pt}; the zip format of PyTorch 1.6 and later): the
 * pickle {@code <archive>/data.pkl} is read by {@link RestrictedUnpickler} (nothing in it is run), the
 * tensors' bytes from {@code <archive>/data/<key>}. A checkpoint that wraps its state dict under
 * {@code state_dict}, {@code model} or {@code model_state_dict} is unwrapped, and a {@code module.} prefix
 * (from {@code DataParallel}) is removed. Non-tensor entries are ignored; {@code num_batches_tracked}
 * counters are skipped; other non-float tensors are refused.
 */
public final class TorchReader implements WeightReader {

    private static final List<String> WRAPPERS = List.of("state_dict", "model", "model_state_dict", "net");
    private static final long MAX_PICKLE = 256L << 20;

    @Override
    public LinkedHashMap<String, SourceTensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        checkNotLegacy(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = null;
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                String n = e.getName();
                if (n.endsWith("data.pkl") && n.indexOf('/') == n.length() - "data.pkl".length() - 1) {
                    pkl = e;
                    break;
                }
            }
            if (pkl == null) {
                throw new IOException(file + ": a zip without <archive>/data.pkl, not a PyTorch checkpoint");
            }
            if (pkl.getSize() > MAX_PICKLE) {
                throw new IOException(file + ": its pickle is " + pkl.getSize() + " bytes, too large for a state dict");
            }
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            Object root;
            try (InputStream in = zip.getInputStream(pkl)) {
                root = RestrictedUnpickler.load(in.readAllBytes());
            }
            ByteOrder order = byteOrder(zip, prefix);
            Map<?, ?> dict = stateDict(file, root);
            LinkedHashMap<String, SourceTensor> out = new LinkedHashMap<>();
            Map<String, byte[]> storages = new HashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getValue() instanceof TensorRef t) || !(e.getKey() instanceof String rawName)) {
                    continue;
                }
                String name = WeightNames.stripModulePrefix(rawName);
                if (t.storage().dtype() == null) {
                    if (name.endsWith("num_batches_tracked")) {
                        continue;
                    }
                    throw new IOException(file + ": tensor " + name + " is stored as " + t.storage().type()
                            + "; only float32, float16, bfloat16 and float64 tensors can be weights");
                }
                byte[] bytes = storages.get(t.storage().key());
                if (bytes == null) {
                    bytes = storage(file, zip, prefix, t.storage());
                    storages.put(t.storage().key(), bytes);
                }
                out.put(name, new SourceTensor(name, t.size(), gather(file, name, t, bytes, order)));
            }
            if (out.isEmpty()) {
                throw new IOException(file + ": holds no float tensors (not a state dict)");
            }
            return out;
        } catch (RestrictedUnpickler.UnsafePickleException e) {
            throw new IOException(file + ": refused, " + e.getMessage(), e);
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable PyTorch zip checkpoint (truncated or not a zip: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
                    : new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Files of {@code torch.save} before PyTorch 1.6 are a bare pickle: refused with a hint. */
    private static void checkNotLegacy(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x80) {
            throw new IOException(file + ": a bare pickle (PyTorch's format before 1.6, or not PyTorch at all); "
                    + "re-save it with torch.save in PyTorch 1.6 or later");
        }
        if (n < 4 || head[0] != 'P' || head[1] != 'K') {
            throw new IOException(file + ": not a PyTorch zip checkpoint (no zip signature)");
        }
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        try (InputStream in = zip.getInputStream(e)) {
            String s = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            return s.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    /** The state dict: the root dict, or the dict under one of the usual wrapper keys. */
    private static Map<?, ?> stateDict(Path file, Object root) throws IOException {
        if (!(root instanceof Map<?, ?> m)) {
            throw new IOException(file + ": holds a " + (root == null ? "None" : root.getClass().getSimpleName())
                    + ", not a state dict");
        }
        if (m.values().stream().anyMatch(v -> v instanceof TensorRef)) {
            return m;
        }
        for (String w : WRAPPERS) {
            if (m.get(w) instanceof Map<?, ?> inner && inner.values().stream().anyMatch(v -> v instanceof TensorRef)) {
                return inner;
            }
        }
        throw new IOException(file + ": holds a dict without tensors (keys " + m.keySet()
                + "); expected a state dict, or one under state_dict / model");
    }

    private static byte[] storage(Path file, ZipFile zip, String prefix, StorageRef s) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
        if (e == null) {
            throw new IOException(file + ": storage " + s.key() + " is missing from the archive (truncated?)");
        }
        long need = s.numel() * s.dtype().bytes();
        if (need > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": storage " + s.key() + " is too large (" + need + " bytes)");
        }
        byte[] b;
        try (InputStream in = zip.getInputStream(e)) {
            b = in.readNBytes((int) need);
        }
        if (b.length < need) {
            throw new IOException(file + ": storage " + s.key() + " holds " + b.length + " bytes, expected " + need
                    + " (truncated)");
        }
        return b;
    }

    /** The tensor's values in row-major order, following its offset and strides into the storage. */
    private static float[] gather(Path file, String name, TensorRef t, byte[] bytes, ByteOrder order)
            throws IOException {
        long[] size = t.size();
        long[] stride = t.stride();
        if (stride.length != size.length) {
            throw new IOException(file + ": tensor " + name + " has " + size.length + " sizes but "
                    + stride.length + " strides");
        }
        long n = 1;
        long last = t.offset();
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new IOException(file + ": tensor " + name + " has a negative size or stride");
            }
            n *= size[d];
            last += (size[d] - 1) * stride[d];
        }
        if (n > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor " + name + " is too large");
        }
        if (n > 0 && (t.offset() < 0 || last >= t.storage().numel())) {
            throw new IOException(file + ": tensor " + name + " reaches past its storage");
        }
        Dtype dt = t.storage().dtype();
        float[] all = dt.decode(ByteBuffer.wrap(bytes).order(order), (int) t.storage().numel());
        float[] out = new float[(int) n];
        if (n == 0) {
            return out;
        }
        boolean contiguous = true;
        long expect = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expect) {
                contiguous = false;
            }
            expect *= size[d];
        }
        if (contiguous) {
            System.arraycopy(all, (int) t.offset(), out, 0, (int) n);
            return out;
        }
        int[] idx = new int[size.length];
        for (int i = 0; i < n; i++) {
            long src = t.offset();
            for (int d = 0; d < size.length; d++) {
                src += idx[d] * stride[d];
            }
            out[i] = all[(int) src];
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }
}
