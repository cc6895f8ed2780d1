package org.mmtune.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("sub/results.json");
        AtomicFiles.writeString(f, "{\"a\":1}");
        assertThat(Files.readString(f)).isEqualTo("{\"a\":1}");
        AtomicFiles.writeString(f, "{\"a\":2}");
        assertThat(Files.readString(f)).isEqualTo("{\"a\":2}");
        try (var list = Files.list(f.getParent())) {
            assertThat(list).containsExactly(f);
        }
    }

    @Test
    void failedWriteKeepsOldContentAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("ckpt.params");
        AtomicFiles.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var list = Files.list(dir)) {
            assertThat(list).containsExactly(f);
        }
    }
}
