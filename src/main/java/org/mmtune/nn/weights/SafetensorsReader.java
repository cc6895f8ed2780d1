package org.mmtune.nn.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * safetensors files: an 8-byte little-endian header length, a JSON header
 * {@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}} and
 * the raw little-endian data. Tensors come in the header's order; F32, F16, BF16 and F64 are read, integer
 * {@code num_batches_tracked} counters skipped, other types refused.
 */
public final class SafetensorsReader implements WeightReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    @Override
    public LinkedHashMap<String, SourceTensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLen
                        + " does not fit the file's " + size + " bytes; truncated or another format)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(hb.array());
            } catch (IOException e) {
                throw new IOException(file + ": not a safetensors file (its header is not JSON)", e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": not a safetensors file (its header is not a JSON object)");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            LinkedHashMap<String, SourceTensor> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                String name = WeightNames.stripModulePrefix(e.getKey());
                JsonNode t = e.getValue();
                String dtype = t.path("dtype").asText("");
                JsonNode shapeNode = t.path("shape");
                JsonNode offs = t.path("data_offsets");
                if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
                    throw new IOException(file + ": tensor " + name + " has no shape or data_offsets");
                }
                Dtype dt = switch (dtype) {
                    case "F32" -> Dtype.FLOAT32;
                    case "F16" -> Dtype.FLOAT16;
                    case "BF16" -> Dtype.BFLOAT16;
                    case "F64" -> Dtype.FLOAT64;
                    default -> null;
                };
                if (dt == null) {
                    if (WeightNames.isCounter(name)) {
                        continue;
                    }
                    throw new IOException(file + ": tensor " + name + " has dtype " + dtype
                            + "; only F32, F16, BF16 and F64 tensors can be weights");
                }
                long[] shape = new long[shapeNode.size()];
                long n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong(-1);
                    if (shape[i] < 0) {
                        throw new IOException(file + ": tensor " + name + " has a bad shape " + shapeNode);
                    }
                    n *= shape[i];
                }
                long begin = offs.get(0).asLong(-1);
                long end = offs.get(1).asLong(-1);
                if (begin < 0 || end < begin || end > dataLen) {
                    throw new IOException(file + ": tensor " + name + " lies outside the file's data (bytes "
                            + begin + ".." + end + " of " + dataLen + "; truncated?)");
                }
                if (end - begin != n * dt.bytes() || n > Integer.MAX_VALUE) {
                    throw new IOException(file + ": tensor " + name + " has " + (end - begin) + " bytes for shape "
                            + shapeNode + " of " + dtype);
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin));
                readFully(ch, data, dataStart + begin);
                data.flip();
                out.put(name, new SourceTensor(name, shape, dt.decode(data.order(ByteOrder.LITTLE_ENDIAN), (int) n)));
            }
            if (out.isEmpty()) {
                throw new IOException(file + ": holds no float tensors");
            }
            return out;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file");
            }
            p += n;
        }
    }
}
