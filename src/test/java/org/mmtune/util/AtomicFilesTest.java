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
        })).hasMessage(f + ": cannot write (disk full)");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var list = Files.list(dir)) {
            assertThat(list).containsExactly(f);
        }
    }

    @Test
    void temporaryFilesOfKilledWritersAreRecognisedAndRemoved() throws IOException {
        Path real = dir.resolve("mm.params");
        Files.writeString(real, "complete");
        // a writer that was killed: its pid no longer runs (pid_max is below 2^22 on Linux)
        Path dead = Files.writeString(dir.resolve(".mm.params.tmp-4194999-1"), "half");
        Path mine = Files.writeString(dir.resolve(".mm.json.tmp-" + ProcessHandle.current().pid() + "-7"), "in progress");
        assertThat(AtomicFiles.isTemp(dead)).isTrue();
        assertThat(AtomicFiles.isTemp(real)).isFalse();
        assertThat(AtomicFiles.removeStaleTemps(dir)).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(mine).exists();
        assertThat(real).hasContent("complete");
        assertThat(AtomicFiles.removeStaleTemps(dir.resolve("missing"))).isZero();
    }

    @Test
    void aFailedWriteNamesTheFile() {
        Path f = dir.resolve("a-file");
        assertThatThrownBy(() -> {
            Files.writeString(f, "x");
            AtomicFiles.writeString(f.resolve("results.json"), "{}");
        }).hasMessageStartingWith(f.resolve("results.json") + ": cannot write (");
    }
}
