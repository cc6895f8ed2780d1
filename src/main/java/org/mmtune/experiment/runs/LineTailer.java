package org.mmtune.experiment.runs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a text file that another process appends to: each {@link #poll()} returns the complete lines
 * added since the previous call. A line still being written (no newline yet) is kept back until it is
 * complete. If the file shrinks (rewritten from scratch) the tailer starts again from its beginning and
 * {@link #wasReset()} reports it. Not thread-safe: one follower thread per tailer.
 */
public final class LineTailer {

    private static final int CHUNK = 1 << 16;

    private final Path file;
    private final long startBytesFromEnd;
    private long offset = -1;
    private boolean reset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** Follows the whole file from its beginning. */
    public LineTailer(Path file) {
        this(file, -1);
    }

    /**
     * Follows {@code file}; the first poll skips all but roughly the last {@code startBytesFromEnd} bytes
     * (the first, cut line is dropped). A negative value reads from the beginning.
     */
    public LineTailer(Path file, long startBytesFromEnd) {
        this.file = file;
        this.startBytesFromEnd = startBytesFromEnd;
    }

    public Path file() {
        return file;
    }

    /** True if the last poll found the file shorter than before and started over. */
    public boolean wasReset() {
        return reset;
    }

    /** The complete lines appended since the last poll (empty if the file does not exist yet). */
    public List<String> poll() throws IOException {
        reset = false;
        List<String> lines = new ArrayList<>();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return lines;
        }
        boolean dropFirst = false;
        if (offset < 0) {
            offset = 0;
            if (startBytesFromEnd >= 0 && size > startBytesFromEnd) {
                offset = size - startBytesFromEnd;
                dropFirst = true;
            }
        } else if (size < offset) {
            offset = 0;
            partial.reset();
            reset = true;
        }
        if (size == offset) {
            return lines;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            int n;
            while ((n = ch.read(buf)) > 0) {
                byte[] a = buf.array();
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        String line = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        if (line.endsWith("\r")) {
                            line = line.substring(0, line.length() - 1);
                        }
                        if (dropFirst) {
                            dropFirst = false;
                        } else {
                            lines.add(line);
                        }
                    } else {
                        partial.write(a[i]);
                    }
                }
                offset += n;
                buf.clear();
            }
        } catch (NoSuchFileException e) {
            return lines;
        }
        return lines;
    }
}
