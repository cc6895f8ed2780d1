package org.mmtune.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files so that a reader (or a later run after a crash) sees either the old complete file or the
 * new complete file, never half of one: the content goes to a temporary file in the same folder
 * ({@code .NAME.tmp-PID-THREAD}), is forced to disk (fsync), renamed over the target, and then the folder
 * itself is forced so that the rename survives a power cut. A process killed while writing leaves at most
 * such a temporary file, which {@link #removeStaleTemps} deletes and every reader ignores (hidden name,
 * never the name of a real file).
 */
public final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp-(\\d+)-\\d+");

    /** Writes the content of a file; the stream is closed by {@link AtomicFiles}. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code target} atomically. On any failure the temporary file is removed, the previous content
     * of {@code target}, if any, is left untouched, and the exception's message names {@code target}
     * (e.g. {@code run/checkpoints/mm.params: cannot write (No space left on device)}).
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().getId());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } catch (IOException e) {
            throw named(target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.debug("could not remove {}", tmp, e);
            }
        }
    }

    /**
     * Renames {@code from} to {@code to} in one step (replacing {@code to}), then forces the folder so the
     * rename survives a power cut; a reader sees {@code to} either old or new. Both must be in the same folder.
     */
    public static void rename(Path from, Path to) throws IOException {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw named(to, e);
        }
    }

    /** An exception whose message starts with {@code target} and says what went wrong in plain words. */
    static IOException named(Path target, IOException e) {
        String msg = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = e.getClass().getSimpleName();
        }
        if (msg.startsWith(target.toString())) {
            return e;
        }
        return new IOException(target + ": cannot write (" + msg + ")", e);
    }

    /** One line naming {@code file} and what went wrong, e.g. {@code f: cannot write (No space left on device)}. */
    public static String describe(Path file, IOException e) {
        return named(file, e).getMessage();
    }

    /** True for the name of a temporary file written by {@link #write} (complete or not, never a real file). */
    public static boolean isTemp(Path file) {
        return TEMP.matcher(file.getFileName().toString()).matches();
    }

    /**
     * Deletes temporary files left in {@code dir} (not recursive) by writers that were killed: those of
     * processes that no longer run. Returns how many were removed. A missing folder is fine.
     */
    public static int removeStaleTemps(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                boolean alive = pid == ProcessHandle.current().pid()
                        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("cleaning temporary files in {}", dir, e);
        }
        return removed;
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not all file systems allow syncing a directory; the rename itself is still atomic
        }
    }
}
