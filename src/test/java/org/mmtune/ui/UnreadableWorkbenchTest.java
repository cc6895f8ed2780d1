package org.mmtune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput;
import org.mmtune.testing.Unprivileged;

/**
 * Files the user may not read, in the workbench (issue 7): a dataset with one unreadable image and one
 * unreadable label, and a run folder whose {@code metrics.jsonl} and {@code results.json} are unreadable.
 * The whole workbench runs headless in a child JVM that permissions really stop ({@link Unprivileged}), and
 * prints what its views show ({@link UnreadableWorkbenchMain}): one plain line per bad file naming it and the
 * problem, the bad pairs counted and skipped, the other images browsed and mixed, no stack trace anywhere.
 */
class UnreadableWorkbenchTest {

    private static final Map<String, String> HEADLESS_FX = Map.of("glass.platform", "Monocle",
            "monocle.platform", "Headless", "headless.geometry", "1600x1000-32", "prism.order", "sw",
            "prism.text", "t2k", "java.awt.headless", "true");

    @TempDir
    Path dir;

    @Test
    void theWorkbenchNamesUnreadableFilesSkipsThemAndGoesOn() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        BadInput.pair(ds, "train", "lockedimage");
        BadInput.pair(ds, "train", "lockedlabel");
        Path image = BadInput.image(ds, "train", "lockedimage.png");
        Path label = BadInput.label(ds, "train", "lockedlabel.png");
        Unprivileged.lock(image);
        Unprivileged.lock(label);

        Path run = Files.createDirectories(dir.resolve("runs/locked-run"));
        Files.writeString(run.resolve("config.json"), "{\"name\":\"locked-run\",\"preset\":\"quick\",\"dataset\":\""
                + ds.toAbsolutePath() + "\"}");
        Files.writeString(run.resolve("status.json"), "{\"state\":\"finished\",\"stage\":\"eval\","
                + "\"startedAt\":1767261600,\"updatedAt\":1767261900}");
        Files.writeString(run.resolve("run.log"), "run started\n");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"stage\":\"mm\",\"iteration\":1,\"totalIterations\":2,"
                + "\"loss\":1.5,\"lr\":0.01,\"time\":1767261601,\"elapsedSeconds\":1}\n");
        Files.writeString(run.resolve("results.json"), "{\"mIoU\":0.5,\"pixelAccuracy\":0.8}");
        Unprivileged.lock(run.resolve("metrics.jsonl"));
        Unprivileged.lock(run.resolve("results.json"));
        Unprivileged.lock(run.resolve("run.log"));
        // two more runs in the runs folder: one whose config.json and one whose status.json cannot be read
        for (String name : List.of("locked-config", "locked-status")) {
            Path other = Files.createDirectories(run.resolveSibling(name));
            Files.writeString(other.resolve("config.json"), "{\"name\":\"" + name + "\",\"preset\":\"quick\"}");
            Files.writeString(other.resolve("status.json"), "{\"state\":\"finished\",\"stage\":\"eval\"}");
        }
        Unprivileged.lock(run.resolveSibling("locked-config").resolve("config.json"));
        Unprivileged.lock(run.resolveSibling("locked-status").resolve("status.json"));

        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-Dmmtune.engine=off",
                "-Dmmtune.prefsNode=" + WorkbenchFixture.PREFS_NODE, "-Dmmtune.runsDir=" + run.getParent().toAbsolutePath()));
        // headless JavaFX as surefire configures it (pom.xml), with the same values where they are set
        HEADLESS_FX.forEach((k, v) -> jvm.add("-D" + k + "=" + System.getProperty(k, v)));
        Unprivileged.Result child = Unprivileged.java(dir.resolve("child"), jvm, UnreadableWorkbenchMain.class.getName(),
                List.of(ds.toString(), run.toString()), Map.of(), 90);
        String out = child.out();
        assertThat(child.code()).as("exit code; stdout:%n%s%nstderr:%n%s", out, child.err()).isZero();
        assertThat(out).as(out).contains("\nEND\n").doesNotContain("UNCAUGHT").doesNotContain("TIMEOUT");
        BadInput.assertNoTrace(out);
        BadInput.assertNoTrace(child.err());
        assertThat(child.err()).as("nothing on the terminal").isBlank();

        // the dataset opens; the problems list counts the two bad pairs and names each file and the problem
        assertThat(lines(out, "DATASET")).containsExactly("bad-input");
        List<String> problems = lines(out, "PROBLEM");
        assertThat(problems.get(0)).startsWith("2 problem(s) in train").contains("unreadable 2");
        assertThat(problems).anyMatch(l -> l.contains("lockedimage.png") && l.contains("permission denied"))
                .anyMatch(l -> l.contains("lockedlabel.png") && l.contains("permission denied"));

        // every readable image is shown; each bad one says why not, in one line naming its file
        List<String> browse = lines(out, "BROWSE");
        assertThat(browse).hasSize(5);
        assertThat(browse).filteredOn(l -> l.startsWith("good")).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("| shown true |").contains("24×16"));
        assertThat(browse).anyMatch(l -> l.startsWith("lockedimage | shown false |")
                && l.endsWith(image + ": permission denied"));
        assertThat(browse).anyMatch(l -> l.startsWith("lockedlabel | shown false |")
                && l.endsWith(label + ": permission denied"));

        // Mix samples the three readable images and says it skipped two
        assertThat(lines(out, "MIX")).singleElement().asString().startsWith("images 3 |").endsWith("| skipped 2");
        assertThat(lines(out, "MIXMSG")).singleElement().asString()
                .contains("2 unreadable images skipped (first: ").contains("permission denied");

        // the Train view follows the run and says which of its files cannot be read, also in the status bar
        assertThat(lines(out, "TRAIN")).singleElement().asString()
                .isEqualTo("locked-run: finished · last stage eval · metrics.jsonl: permission denied; "
                        + "run.log: permission denied");
        assertThat(lines(out, "STATUS")).contains(run.resolve("metrics.jsonl") + ": permission denied (and 1 more)");
        // the Results view's runs list names each run's unreadable file; opening the run says it too
        assertThat(lines(out, "RUN")).containsExactlyInAnyOrder(
                "locked-config | " + run.resolveSibling("locked-config").resolve("config.json") + ": permission denied",
                "locked-run | " + run.resolve("results.json") + ": permission denied",
                "locked-status | " + run.resolveSibling("locked-status").resolve("status.json") + ": permission denied");
        assertThat(lines(out, "STATUS")).contains(run.resolve("results.json") + ": permission denied");
        assertThat(lines(out, "STATUS")).allSatisfy(l -> assertThat(l).doesNotContain("\n"));
    }

    /** The text of each {@code KEY text} line. */
    private static List<String> lines(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).toList();
    }
}
