package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mmtune.data.Fixtures;
import picocli.CommandLine;

/**
 * Bad-input fixtures (made here, by the tests), the checks every message must pass, and {@link #run} (an
 * in-process command with its output captured), which the other CLI tests use too.
 */
public final class BadInput {

    /** Width and height of the fixture images. */
    public static final int W = 24;
    public static final int H = 16;

    /** One command's outcome. */
    public record Run(int code, String out, String err) {
    }

    private BadInput() {
    }

    /** Runs an mmtune command in this JVM with stdout and stderr captured. */
    public static Run run(String... args) {
        CommandLine cl = MmtuneCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** No stack trace or exception name anywhere in {@code text}. */
    public static void assertNoTrace(String text) {
        assertThat(text).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Caused by")
                .doesNotContain("Error:");
    }

    /** The run failed with exit {@code code} and exactly one line on stderr that contains every fragment. */
    public static void assertOneLine(Run r, int code, String... fragments) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(code);
        String line = r.err().strip();
        assertThat(line).as("one line").doesNotContain("\n").startsWith("mmtune: ");
        for (String f : fragments) {
            assertThat(line).contains(f);
        }
        assertNoTrace(r.err());
        assertNoTrace(r.out());
    }

    /**
     * A dataset.json dataset (classes bg, road, car; index labels) with {@code good} readable train pairs
     * {@code good0..} and 2 val pairs.
     */
    public static Path dataset(Path root, int good) {
        Fixtures.text(root.resolve("dataset.json"), """
                {"name": "bad-input", "classes": [{"name": "bg", "color": "#000000"},
                  {"name": "road", "color": "#804080"}, {"name": "car", "color": "#4000c0"}],
                 "background": "bg",
                 "splits": {"train": {"images": "train/img", "labels": "train/lab"},
                            "val": {"images": "val/img", "labels": "val/lab"}}}""");
        for (int i = 0; i < good; i++) {
            pair(root, "train", "good" + i);
        }
        for (int i = 0; i < 2; i++) {
            pair(root, "val", "v" + i);
        }
        return root;
    }

    /** A readable pair {@code split/img/name.png} + {@code split/lab/name.png}. */
    public static void pair(Path root, String split, String name) {
        Fixtures.rgbImage(root.resolve(split + "/img/" + name + ".png"), W, H);
        Fixtures.grayPng(root.resolve(split + "/lab/" + name + ".png"), W, H, (x, y) -> x < 8 ? 0 : x < 16 ? 1 : 2);
    }

    public static Path image(Path root, String split, String name) {
        return root.resolve(split + "/img/" + name);
    }

    public static Path label(Path root, String split, String name) {
        return root.resolve(split + "/lab/" + name);
    }

    /** Adds one train pair of each bad kind; returns the number added that must be skipped as unreadable. */
    public static int addBadTrainPairs(Path root) {
        try {
            Files.createDirectories(image(root, "train", "x").getParent());
            Path ref = Fixtures.rgbImage(root.resolve("train/reference.png.tmp"), W, H);
            byte[] png = Files.readAllBytes(ref);
            Files.delete(ref);
            // empty image
            goodLabel(root, "empty");
            Files.write(image(root, "train", "empty.png"), new byte[0]);
            // truncated PNG
            goodLabel(root, "truncated");
            Files.write(image(root, "train", "truncated.png"), Arrays.copyOf(png, png.length / 2));
            // corrupt PNG: valid header and end, garbage in between
            goodLabel(root, "corrupt");
            byte[] bad = png.clone();
            for (int i = 41; i < bad.length - 20; i++) {
                bad[i] = (byte) (i * 31);
            }
            Files.write(image(root, "train", "corrupt.png"), bad);
            // not an image at all despite its extension
            goodLabel(root, "words");
            Files.writeString(image(root, "train", "words.png"), "these are words, not pixels\n");
            // truncated JPEG
            goodLabel(root, "cutjpeg");
            Path jpg = Fixtures.rgbImage(image(root, "train", "cutjpeg.jpg"), W, H);
            byte[] j = Files.readAllBytes(jpg);
            Files.write(jpg, Arrays.copyOf(j, j.length - 30));
            // enormous declared sizes (PNG and JPEG headers claiming 60000x60000)
            goodLabel(root, "hugepng");
            Files.write(image(root, "train", "hugepng.png"), Fixtures.pngHeaderOnly(60_000, 60_000));
            goodLabel(root, "hugejpeg");
            Files.write(image(root, "train", "hugejpeg.jpg"), Fixtures.jpegHeaderOnly(60_000, 60_000));
            // label of another size
            Fixtures.rgbImage(image(root, "train", "mismatch.png"), W, H);
            Fixtures.grayPng(label(root, "train", "mismatch.png"), W - 4, H, (x, y) -> 1);
            // 16-bit label
            Fixtures.rgbImage(image(root, "train", "deep.png"), W, H);
            Fixtures.gray16Png(label(root, "train", "deep.png"), W, H, (x, y) -> 1);
            // colour label where indices are expected
            Fixtures.rgbImage(image(root, "train", "colour.png"), W, H);
            Fixtures.rgbLabel(label(root, "train", "colour.png"), W, H, (x, y) -> x < 12 ? 0x804080 : 0x4000c0);
            // not an image as label
            Fixtures.rgbImage(image(root, "train", "textlabel.png"), W, H);
            Files.writeString(label(root, "train", "textlabel.png"), "{\"label\": 1}");
            return 11;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pair whose label has values outside the 3 classes (read, the values become void and are counted). */
    public static void addOutOfRangePair(Path root, String name) {
        Fixtures.rgbImage(image(root, "train", name + ".png"), W, H);
        Fixtures.grayPng(label(root, "train", name + ".png"), W, H, (x, y) -> x < 4 ? 77 : 1);
    }

    private static void goodLabel(Path root, String name) {
        Fixtures.grayPng(label(root, "train", name + ".png"), W, H, (x, y) -> 1);
    }
}
