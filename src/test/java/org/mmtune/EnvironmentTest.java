package org.mmtune;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.experiment.EngineInfo;

/**
 * DJL stays offline unless the user switches it off, and offline does not stop a user's own libtorch
 * ({@code PYTORCH_LIBRARY_PATH}, e.g. a CUDA build they installed): mmtune tells DJL its flavour so that DJL
 * takes the matching JNI library from its jar instead of downloading one.
 */
class EnvironmentTest {

    @TempDir
    Path tmp;

    @Test
    void offlineUnlessTheUserSaysOtherwise() {
        assertThat(Environment.offline(Map.of(), null)).isTrue();
        assertThat(Environment.offline(Map.of("MMTUNE_OFFLINE", "false"), null)).isFalse();
        assertThat(Environment.offline(Map.of("MMTUNE_OFFLINE", "FALSE "), null)).isFalse();
        assertThat(Environment.offline(Map.of("MMTUNE_OFFLINE", "true"), null)).isTrue();
        assertThat(Environment.offline(Map.of("MMTUNE_OFFLINE", "false"), "true")).as("the property wins").isTrue();
        assertThat(Environment.offline(Map.of(), "false")).isFalse();
    }

    @Test
    void theFlavourOfAnInstalledLibtorchComesFromItsFiles() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cpu"));
        Files.createFile(cpu.resolve(System.mapLibraryName("torch")));
        Path cuda = Files.createDirectories(tmp.resolve("cuda"));
        Files.createFile(cuda.resolve(System.mapLibraryName("torch")));
        Files.createFile(cuda.resolve(System.mapLibraryName("torch_cuda")));
        assertThat(Environment.ownLibtorchFlavour(cpu.toString())).hasValue("cpu");
        assertThat(Environment.ownLibtorchFlavour(tmp.resolve("none") + java.io.File.pathSeparator + cuda))
                .hasValue("cu128");
        assertThat(Environment.ownLibtorchFlavour(cuda.resolve(System.mapLibraryName("torch")).toString()))
                .hasValue("cu128");
        assertThat(Environment.ownLibtorchFlavour(tmp.toString())).isEmpty();
        assertThat(Environment.ownLibtorchFlavour(null)).isEmpty();
    }

    @Test
    void anInstalledLibtorchLoadsWhileOffline() throws Exception {
        // "installed": the libtorch this JVM extracted, linked file by file into a folder of its own
        Path extracted = Path.of(EngineInfo.current().libraryDir());
        Path own = Files.createDirectories(tmp.resolve("my-libtorch"));
        try (var files = Files.list(extracted)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().contains(".so"))
                    .toList()) {
                Files.createSymbolicLink(own.resolve(f.getFileName()), f);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m", OwnLibtorchMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out").toFile());
        pb.environment().put("PYTORCH_LIBRARY_PATH", own.toString());
        pb.environment().remove("PYTORCH_FLAVOR");
        pb.environment().remove("MMTUNE_OFFLINE");
        pb.environment().remove("DJL_OFFLINE");
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        try (var links = Files.list(own)) {
            for (Path l : links.toList()) {
                Files.delete(l); // the links only, before JUnit warns about links leaving the temp folder
            }
        }
        assertThat(ended).isTrue();
        String out = Files.readString(tmp.resolve("out"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("libtorch from " + own).contains("libtorch 2.7.1 (cpu build)")
                .contains("ai.djl.offline=true PYTORCH_FLAVOR=cpu");
    }
}
