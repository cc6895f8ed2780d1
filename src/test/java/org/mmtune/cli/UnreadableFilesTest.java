package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmtune.cli.BadInput.assertNoTrace;
import static org.mmtune.cli.BadInput.assertOneLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Fixtures;
import org.mmtune.testing.Unprivileged;

/**
 * Files the user may not read, through the CLI. The commands run in a child JVM that permissions really stop
 * ({@link Unprivileged}: as root, started through {@code setpriv} without root's permission bypass).
 * The workbench's side is {@code org.mmtune.ui.UnreadableWorkbenchTest}.
 */
class UnreadableFilesTest {

    @TempDir
    Path dir;

    @Test
    void unreadableFilesAndFoldersGiveOneLineEach() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        BadInput.pair(ds, "train", "lockedimage");
        BadInput.pair(ds, "train", "lockedlabel");
        Unprivileged.lock(BadInput.image(ds, "train", "lockedimage.png"));
        Unprivileged.lock(BadInput.label(ds, "train", "lockedlabel.png"));

        Path json = BadInput.dataset(dir.resolve("json"), 1).resolve("dataset.json");
        Unprivileged.lock(json);
        Path folder = BadInput.dataset(dir.resolve("folder"), 1);
        Unprivileged.lock(folder);
        Path sub = BadInput.dataset(dir.resolve("sub"), 1);
        Unprivileged.lock(sub.resolve("train/lab"));
        Path camvid = Fixtures.camvid(dir.resolve("camvid"), 1, 8, 6);
        Fixtures.text(camvid.resolve("train.txt"), "train/train0.png trainannot/train0.png\n");
        Unprivileged.lock(camvid.resolve("train.txt"));
        Path exp = Fixtures.text(dir.resolve("exp.json"), "{}");
        Unprivileged.lock(exp);

        String[] small = {"--images", "40", "--patches-per-image", "2", "--min-size", "4", "--max-size", "8",
            "--out-size", "8", "--threads", "1"};
        List<String> args = new ArrayList<>(List.of("info", ds.toString(), "--sample", "0", "::", "mix", ds.toString()));
        args.addAll(List.of(small));
        args.addAll(List.of("::", "info", json.getParent().toString(), "::", "info", folder.toString(),
                "::", "info", sub.toString(), "::", "info", camvid.toString(),
                "::", "train", "--config", exp.toString(), "--run-dir", dir.resolve("run").toString()));
        Unprivileged.Result child = Unprivileged.java(dir.resolve("child"), List.of("-Xmx512m"),
                CommandsMain.class.getName(), args, Map.of(), 120);
        assertThat(child.code()).as(child.err()).isZero();
        assertThat(child.err()).as("nothing else on the terminal").isBlank();
        String out = child.out();
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
