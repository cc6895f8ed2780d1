package org.mmtune.nn.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.mmtune.util.AtomicFiles;

/**
 * The weights files mmtune reads and writes: which {@link WeightReader} reads a file (by its extension, else
 * by its first bytes) and the two export formats.
 */
public final class WeightFiles {

    /** Extensions of importable files (without the dot), for file choosers and messages. */
    public static final List<String> IMPORT_EXTENSIONS = List.of("pth", "pt", "safetensors", "npz", "onnx", "caffemodel");

    private WeightFiles() {
    }

    /** True when the file's name ends in an importable extension. */
    public static boolean isImportable(Path file) {
        return IMPORT_EXTENSIONS.contains(extension(file));
    }

    /** The reader for a file: by extension, else by its first bytes; refuses other files in one line. */
    public static WeightReader readerFor(Path file) throws IOException {
        return readerFor(file, null);
    }

    /**
     * As {@link #readerFor(Path)}; {@code prototxt} is the network definition of a {@code .caffemodel} (null:
     * the {@code .prototxt} next to it, see {@link CaffeReader}).
     */
    public static WeightReader readerFor(Path file, Path prototxt) throws IOException {
        switch (extension(file)) {
            case "caffemodel" -> {
                return new CaffeReader(prototxt);
            }
            case "onnx" -> {
                return new OnnxReader();
            }
            case "pth", "pt", "bin", "ckpt" -> {
                return new TorchReader();
            }
            case "safetensors" -> {
                return new SafetensorsReader();
            }
            case "npz" -> {
                return new NpzReader();
            }
            default -> {
                return sniff(file);
            }
        }
    }

    /** Reads a weights file with the reader its name or content calls for. */
    public static LinkedHashMap<String, SourceTensor> read(Path file) throws IOException {
        return readerFor(file).read(file);
    }

    /** The format a reader reads, as reports name it. */
    public static String formatOf(WeightReader reader) {
        if (reader instanceof TorchReader) {
            return "pytorch";
        }
        if (reader instanceof SafetensorsReader) {
            return "safetensors";
        }
        if (reader instanceof NpzReader) {
            return "npz";
        }
        return reader.getClass().getSimpleName().replace("Reader", "").toLowerCase(Locale.ROOT);
    }

    private static WeightReader sniff(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K') {
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
                boolean torch = z.stream().anyMatch(e -> e.getName().endsWith("/data.pkl"));
                return torch ? new TorchReader() : new NpzReader();
            } catch (java.util.zip.ZipException e) {
                throw new IOException(file + ": a damaged zip (truncated?), not readable as weights", e);
            }
        }
        if (head.length >= 9) {
            long len = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (len > 1 && len < Files.size(file) && head[8] == '{') {
                return new SafetensorsReader();
            }
        }
        throw new IOException(file + ": not a weights file mmtune can read (expected "
                + String.join(", ", IMPORT_EXTENSIONS.stream().map(e -> "." + e).toList()) + ")");
    }

    public static String extension(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Writes tensors as safetensors (F32, little-endian, in the map's order; {@code metadata} goes to
     * {@code __metadata__}), atomically.
     */
    public static void writeSafetensors(Path out, Map<String, SourceTensor> tensors, Map<String, String> metadata)
            throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode header = json.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (SourceTensor t : tensors.values()) {
            com.fasterxml.jackson.databind.node.ObjectNode n = header.putObject(t.name());
            n.put("dtype", "F32");
            com.fasterxml.jackson.databind.node.ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            n.putArray("data_offsets").add(offset).add(offset + 4L * t.size());
            offset += 4L * t.size();
        }
        byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8; // the data starts 8-byte aligned; the header is padded with spaces
        AtomicFiles.write(out, os -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            os.write(len.array());
            os.write(h);
            for (int i = h.length; i < padded; i++) {
                os.write(' ');
            }
            for (SourceTensor t : tensors.values()) {
                os.write(littleEndian(t.data()));
            }
        });
    }

    /** Writes tensors as an uncompressed {@code .npz} of float32 {@code .npy} arrays (version 1.0), atomically. */
    public static void writeNpz(Path out, Map<String, SourceTensor> tensors) throws IOException {
        AtomicFiles.write(out, os -> {
            ZipOutputStream zip = new ZipOutputStream(os);
            for (SourceTensor t : tensors.values()) {
                StringBuilder shape = new StringBuilder("(");
                for (long d : t.shape()) {
                    shape.append(d).append(", ");
                }
                if (t.shape().length > 1) {
                    shape.setLength(shape.length() - 2);
                } else if (t.shape().length == 1) {
                    shape.setLength(shape.length() - 1);
                }
                shape.append(")");
                String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
                int total = 10 + dict.length() + 1;
                int pad = (64 - total % 64) % 64;
                StringBuilder hdr = new StringBuilder(dict);
                hdr.append(" ".repeat(pad)).append('\n');
                byte[] hb = hdr.toString().getBytes(StandardCharsets.ISO_8859_1);
                zip.putNextEntry(new ZipEntry(t.name() + ".npy"));
                zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                        (byte) (hb.length & 0xFF), (byte) (hb.length >>> 8)});
                zip.write(hb);
                zip.write(littleEndian(t.data()));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
