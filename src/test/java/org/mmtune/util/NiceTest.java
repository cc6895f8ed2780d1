package org.mmtune.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Background threads really run at a lower OS priority (read back from the kernel), the caller's is untouched. */
class NiceTest {

    /** The calling thread's niceness as the kernel reports it (field 19 of /proc/thread-self/stat). */
    private static int niceness() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[19 - 3]);
    }

    @Test
    void backgroundThreadsLowerTheirOwnPriority() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "needs Linux's /proc");
        int mine = niceness();
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        CompletableFuture<String> name = new CompletableFuture<>();
        Thread t = Nice.backgroundThreads("mmtune-test", true).newThread(() -> {
            try {
                name.complete(Thread.currentThread().getName());
                seen.complete(niceness());
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        assertThat(t.isDaemon()).isTrue();
        t.start();
        assertThat(name.get(10, TimeUnit.SECONDS)).isEqualTo("mmtune-test-1");
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(Math.max(mine, Nice.BACKGROUND));
        assertThat(niceness()).as("the calling thread keeps its priority").isEqualTo(mine);
    }
}
