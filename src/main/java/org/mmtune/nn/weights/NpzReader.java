package org.mmtune.nn.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * numpy {@code .npz} archives ({@code numpy.savez}, compressed or not): a zip of {@code <name>.npy} arrays,
 * read in the archive's order. Arrays of {@code f2}, {@code f4} and {@code f8} in either byte order and C or
 * Fortran order are read; object arrays (which numpy would unpickle) and other types are refused.
 */
public final class NpzReader implements WeightReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    @Override
    public LinkedHashMap<String, SourceTensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            LinkedHashMap<String, SourceTensor> out = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                String name = WeightNames.stripModulePrefix(
                        e.getName().substring(0, e.getName().length() - ".npy".length()));
                try (InputStream in = zip.getInputStream(e)) {
                    SourceTensor t = readNpy(file, name, in);
                    if (t != null) {
                        out.put(name, t);
                    }
                }
            }
            if (out.isEmpty()) {
                throw new IOException(file + ": holds no float arrays (not an npz of weights)");
            }
            return out;
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable npz (truncated or not a zip: " + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated npz (an array ends early)", e);
        }
    }

    /** One {@code .npy} array; null for a skipped counter. */
    static SourceTensor readNpy(Path file, String name, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8) {
            throw new IOException(file + ": array " + name + " is truncated");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException(file + ": entry " + name + ".npy is not a numpy array");
            }
        }
        int major = magic[6];
        int headerLen;
        if (major == 1) {
            byte[] l = in.readNBytes(2);
            if (l.length < 2) {
                throw new IOException(file + ": array " + name + " is truncated");
            }
            headerLen = (l[0] & 0xFF) | (l[1] & 0xFF) << 8;
        } else if (major == 2 || major == 3) {
            byte[] l = in.readNBytes(4);
            if (l.length < 4) {
                throw new IOException(file + ": array " + name + " is truncated");
            }
            headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new IOException(file + ": array " + name + " has unknown npy version " + major);
        }
        if (headerLen < 0 || headerLen > 1 << 20) {
            throw new IOException(file + ": array " + name + " has a bad header length");
        }
        byte[] hb = in.readNBytes(headerLen);
        if (hb.length < headerLen) {
            throw new IOException(file + ": array " + name + " is truncated");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(file + ": array " + name + " has an unreadable npy header");
        }
        String descr = d.group(1);
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.trim().replace("L", "");
            if (!p.isEmpty()) {
                try {
                    dims.add(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": array " + name + " has a bad shape (" + s.group(1) + ")");
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long x : shape) {
            if (x < 0) {
                throw new IOException(file + ": array " + name + " has a bad shape (" + s.group(1) + ")");
            }
            n *= x;
        }
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        String kind = descr.length() > 1 ? descr.substring(1) : descr;
        Dtype dt = switch (kind) {
            case "f4" -> Dtype.FLOAT32;
            case "f2" -> Dtype.FLOAT16;
            case "f8" -> Dtype.FLOAT64;
            default -> null;
        };
        if (dt == null) {
            if (WeightNames.isCounter(name)) {
                return null;
            }
            throw new IOException(file + ": array " + name + " has dtype '" + descr + "'"
                    + (kind.startsWith("O") ? " (Python objects, refused: reading them would run a pickle)" : "")
                    + "; only float16, float32 and float64 arrays can be weights");
        }
        if (n * dt.bytes() > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": array " + name + " is too large");
        }
        byte[] data = in.readNBytes((int) (n * dt.bytes()));
        if (data.length < n * dt.bytes()) {
            throw new IOException(file + ": array " + name + " is truncated (" + data.length + " of "
                    + n * dt.bytes() + " bytes)");
        }
        ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        float[] v = dt.decode(ByteBuffer.wrap(data).order(bo), (int) n);
        if (f.group(1).equals("True") && shape.length > 1) {
            v = fortranToC(v, shape);
        }
        return new SourceTensor(name, shape, v);
    }

    private static float[] fortranToC(float[] v, long[] shape) {
        float[] out = new float[v.length];
        int[] idx = new int[shape.length];
        for (int c = 0; c < v.length; c++) {
            long fi = 0;
            long mul = 1;
            for (int d = 0; d < shape.length; d++) {
                fi += idx[d] * mul;
                mul *= shape[d];
            }
            out[c] = v[(int) fi];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }
}
