package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmtune.cli.BadInput.assertNoTrace;
import static org.mmtune.cli.BadInput.assertOneLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Fixtures;

/**
 * Files the user may not read. The tests run as root, whom file permissions do not stop; so the commands
 * run in a child JVM started through {@code setpriv} without the capabilities that let root bypass them
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): there a mode-000 file really is unreadable.
 */
class UnreadableFilesTest {

    @TempDir
    Path dir;

    private static void lock(Path p) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    }

    private static List<String> prefix() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            return List.of();
        }
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(Files.isExecutable(setpriv), "setpriv is needed to drop root's permission bypass");
        return List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search");
    }

    @Test
    void unreadableFilesAndFoldersGiveOneLineEach() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        BadInput.pair(ds, "train", "lockedimage");
        BadInput.pair(ds, "train", "lockedlabel");
        lock(BadInput.image(ds, "train", "lockedimage.png"));
        lock(BadInput.label(ds, "train", "lockedlabel.png"));

        Path json = BadInput.dataset(dir.resolve("json"), 1).resolve("dataset.json");
        lock(json);
        Path folder = BadInput.dataset(dir.resolve("folder"), 1);
        lock(folder);
        Path sub = BadInput.dataset(dir.resolve("sub"), 1);
        lock(sub.resolve("train/lab"));
        Path camvid = Fixtures.camvid(dir.resolve("camvid"), 1, 8, 6);
        Fixtures.text(camvid.resolve("train.txt"), "train/train0.png trainannot/train0.png\n");
        lock(camvid.resolve("train.txt"));
        Path exp = Fixtures.text(dir.resolve("exp.json"), "{}");
        lock(exp);

        String[] small = {"--images", "40", "--patches-per-image", "2", "--min-size", "4", "--max-size", "8",
            "--out-size", "8", "--threads", "1"};
        List<String> cmd = new ArrayList<>(prefix());
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), CommandsMain.class.getName()));
        cmd.addAll(List.of("info", ds.toString(), "--sample", "0", "::", "mix", ds.toString()));
        cmd.addAll(List.of(small));
        cmd.addAll(List.of("::", "info", json.getParent().toString(), "::", "info", folder.toString(),
                "::", "info", sub.toString(), "::", "info", camvid.toString(),
                "::", "train", "--config", exp.toString(), "--run-dir", dir.resolve("run").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("MMTUNE_LOG_DIR", dir.resolve("logs").toString());
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
        assertThat(new String(err, StandardCharsets.UTF_8)).as("nothing else on the terminal").isBlank();
        List<BadInput.Run> runs = CommandsMain.parse(out);
        assertThat(runs).hasSize(7);

        BadInput.Run info = runs.get(0);
        assertThat(info.code()).as(info.err()).isZero();
        assertNoTrace(info.out() + info.err());
        assertThat(info.out()).contains("lockedimage.png: permission denied")
                .contains("lockedlabel.png: permission denied");
        assertThat(info.out()).containsPattern("train\\s+3\\s+3\\s+0\\s+0\\s+2 ");

        BadInput.Run mix = runs.get(1);
        assertThat(mix.code()).as(mix.err()).isZero();
        assertNoTrace(mix.out() + mix.err());
        assertThat(mix.out()).contains("images    3 (skipped 2 unreadable)").contains("permission denied");

        assertOneLine(runs.get(2), 1, "dataset.json", "permission denied");
        assertOneLine(runs.get(3), 1, "folder", "permission denied");
        assertOneLine(runs.get(4), 1, "train/lab", "permission denied");
        assertOneLine(runs.get(5), 1, "train.txt", "permission denied");
        assertOneLine(runs.get(6), 2, "exp.json", "permission denied");
        assertThat(dir.resolve("run")).doesNotExist();
    }
}
