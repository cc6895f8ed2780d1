package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmtune.cli.BadInput.assertNoTrace;
import static org.mmtune.cli.BadInput.assertOneLine;
import static org.mmtune.cli.BadInput.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.Fixtures;

/**
 * Every kind of bad input through the command line (issue 7): one line naming the file or key and the
 * problem, no stack trace; a bad pair is skipped and counted, a bad dataset or config stops before anything
 * runs. Fixtures are made here.
 */
class BadInputCliTest {

    @TempDir
    Path dir;

    private static final String[] SMALL_MIX = {"--images", "40", "--patches-per-image", "2", "--min-size", "4",
        "--max-size", "8", "--out-size", "8", "--threads", "2"};

    private static String[] mix(String... head) {
        String[] a = java.util.Arrays.copyOf(head, head.length + SMALL_MIX.length);
        System.arraycopy(SMALL_MIX, 0, a, head.length, SMALL_MIX.length);
        return a;
    }

    @Test
    void badPairsAreSkippedAndCountedByInfoAndMix() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 3);
        int bad = BadInput.addBadTrainPairs(ds);
        BadInput.addOutOfRangePair(ds, "outside");

        BadInput.Run info = run("info", ds.toString(), "--sample", "0");
        assertThat(info.code()).as(info.err()).isZero();
        assertNoTrace(info.out() + info.err());
        List<String> lines = info.out().lines().toList();
        // one line per problem, naming the file and what is wrong
        assertThat(lines).anyMatch(l -> l.contains("empty.png") && l.contains("empty file"))
                .anyMatch(l -> l.contains("truncated.png") && l.contains("truncated PNG"))
                .anyMatch(l -> l.contains("corrupt.png") && l.contains("corrupt"))
                .anyMatch(l -> l.contains("words.png") && l.contains("not an image"))
                .anyMatch(l -> l.contains("cutjpeg.jpg") && l.contains("truncated JPEG"))
                .anyMatch(l -> l.contains("hugepng.png") && l.contains("too large") && l.contains("60000x60000"))
                .anyMatch(l -> l.contains("hugejpeg.jpg") && l.contains("too large") && l.contains("60000x60000"))
                .anyMatch(l -> l.contains("mismatch.png") && l.contains("20x16") && l.contains("24x16"))
                .anyMatch(l -> l.contains("deep.png") && l.contains("16-bit"))
                .anyMatch(l -> l.contains("colour.png") && l.contains("RGB colour image"))
                .anyMatch(l -> l.contains("textlabel.png") && l.contains("not an image"))
                .anyMatch(l -> l.contains("outside.png") && l.contains("outside the classes") && l.contains("77"));

        JsonNode j = new ObjectMapper().readTree(run("info", ds.toString(), "--sample", "0", "--json").out());
        JsonNode train = j.get("splits").get("train");
        assertThat(train.get("images").asInt()).isEqualTo(3 + 1);  // readable pairs
        assertThat(train.get("unreadable").asInt() + train.get("sizeMismatches").asInt()).isEqualTo(bad);
        assertThat(train.get("sizeMismatches").asInt()).isEqualTo(1);
        assertThat(train.get("outOfRangePixels").asInt()).isEqualTo(4 * BadInput.H);

        // mix draws from all pairs: the bad ones are skipped and counted, the good ones sampled
        BadInput.Run m = run(mix("mix", ds.toString()));
        assertThat(m.code()).as(m.err()).isZero();
        assertNoTrace(m.out() + m.err());
        assertThat(m.out()).contains("images    4 (skipped " + bad + " unreadable)").contains("skipped: ");
        assertThat(m.out()).contains("patches   8");
    }

    @Test
    void aBatchOfOnlyBadPairsStopsWithOneLine() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 0);
        BadInput.addBadTrainPairs(ds);
        assertOneLine(run(mix("mix", ds.toString())), 1, "none of the", "could be read");
    }

    @Test
    void listFilesWithMissingMalformedEscapingAndOddNames() throws Exception {
        Path ds = dir.resolve("camvid");
        Fixtures.camvid(ds, 1, 8, 6);
        String odd = "it's a \"quoted\" straße ü 1";
        Fixtures.rgbImage(ds.resolve("train/" + odd + ".png"), 8, 6);
        Fixtures.grayPng(ds.resolve("trainannot/" + odd + ".png"), 8, 6, (x, y) -> 3);
        Fixtures.text(dir.resolve("outside.png"), "x");
        Fixtures.text(ds.resolve("train.txt"), String.join("\n",
                "train/train0.png trainannot/train0.png",
                "",
                "   ",
                "train/gone.png trainannot/train0.png",
                "../outside.png trainannot/train0.png",
                dir.resolve("outside.png") + " trainannot/train0.png",
                "train/train0.png",
                "one two three",
                "train/" + odd + ".png\ttrainannot/" + odd + ".png"));
        BadInput.Run info = run("info", ds.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertNoTrace(info.out() + info.err());
        assertThat(info.out()).contains("train.txt line 5").contains("leaves the dataset folder")
                .contains("train.txt line 6").contains("absolute path")
                .contains("train/gone.png")
                .contains("train.txt line 7").contains("train.txt line 8").contains("3 fields");
        JsonNode train = new ObjectMapper().readTree(run("info", ds.toString(), "--json").out())
                .get("splits").get("train");
        assertThat(train.get("images").asInt()).isEqualTo(2);   // train0 and the oddly named one
        assertThat(train.get("missing").asInt()).isEqualTo(1);
        assertThat(train.get("refused").asInt()).isEqualTo(4);   // two paths leaving the folder, two malformed lines
        assertThat(train.get("unreadable").asInt()).isZero();
        BadInput.Run m = run("mix", ds.toString(), "--images", "2", "--patches-per-image", "2", "--min-size", "4",
                "--max-size", "6", "--out-size", "8");
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(m.out()).contains("images    2 (skipped 0 unreadable)");
    }

    @Test
    void emptySplitsUnknownFormatsAndMissingSplits() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 2);
        Files.createDirectories(ds.resolve("test/img"));
        Files.createDirectories(ds.resolve("test/lab"));
        Fixtures.text(ds.resolve("dataset.json"), Files.readString(ds.resolve("dataset.json"))
                .replace("\"val\":", "\"test\": {\"images\": \"test/img\", \"labels\": \"test/lab\"}, \"val\":"));
        BadInput.Run info = run("info", ds.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).containsPattern("test\\s+0 ");
        assertOneLine(run(mix("mix", ds.toString(), "--split", "test")), 1, "split 'test' has no image/label pairs");
        assertOneLine(run(mix("mix", ds.toString(), "--split", "nope")), 2, "--split", "no split 'nope'", "train");
        assertOneLine(run(mix("match", ds.toString(), "--split", "nope")), 2, "no split 'nope'");

        Path odd = Files.createDirectories(dir.resolve("holiday photos"));
        Fixtures.rgbImage(odd.resolve("beach.jpg"), 8, 8);
        assertOneLine(run("info", odd.toString()), 1, "holiday photos", "no known dataset format");
        assertOneLine(run(mix("mix", odd.toString())), 1, "no known dataset format");
        assertOneLine(run("info", dir.resolve("nowhere").toString()), 1, "nowhere", "no such folder");
        assertOneLine(run("info", ds.resolve("dataset.json").resolveSibling("train/img/good0.png").toString()), 1,
                "good0.png", "not a folder");
    }

    @Test
    void malformedDatasetJsonNamesTheKey() {
        Path ds = BadInput.dataset(dir.resolve("ds"), 1);
        Path json = ds.resolve("dataset.json");
        String good = "\"classes\": [{\"name\": \"bg\", \"color\": \"#000000\"}, {\"name\": \"road\", \"color\": \"#804080\"}],"
                + " \"splits\": {\"train\": {\"images\": \"train/img\", \"labels\": \"train/lab\"}}";
        Fixtures.text(json, "{" + good + ", ");
        assertOneLine(run("info", ds.toString()), 1, "dataset.json", "not valid JSON");
        Fixtures.text(json, "{" + good + ", \"ignorIndex\": 255}");
        assertOneLine(run("info", ds.toString()), 1, "dataset.json", "unknown key 'ignorIndex'");
        Fixtures.text(json, "{" + good + ", \"ignoreIndex\": \"void\"}");
        assertOneLine(run("info", ds.toString()), 1, "dataset.json", "key 'ignoreIndex'");
        Fixtures.text(json, "{" + good + ", \"ignoreIndex\": -3}");
        assertOneLine(run("info", ds.toString()), 1, "dataset.json", "key 'ignoreIndex'");
        Fixtures.text(json, "{" + good.replace("train/img", "../../etc") + "}");
        assertOneLine(run(mix("mix", ds.toString())), 1, "dataset.json", "key 'splits.train.images'");
        Fixtures.text(json, "[1, 2]");
        assertOneLine(run("info", ds.toString()), 1, "dataset.json");
        Fixtures.text(json, "");
        assertOneLine(run("info", ds.toString()), 1, "dataset.json");
    }

    @Test
    void impossibleMixSettingsStopBeforeSampling() {
        Path ds = BadInput.dataset(dir.resolve("ds"), 1);
        String d = ds.toString();
        assertOneLine(run("mix", d, "--min-size", "300", "--max-size", "100"), 2, "--min-size (300)", "--max-size (100)");
        assertOneLine(run("mix", d, "--images", "-1"), 2, "--images", "-1");
        assertOneLine(run("mix", d, "--patches-per-image", "0"), 2, "--patches-per-image");
        assertOneLine(run("mix", d, "--background-ratio", "1.5"), 2, "--background-ratio", "between 0 and 1");
        assertOneLine(run("mix", d, "--dedup", "-0.1"), 2, "--dedup");
        assertOneLine(run("mix", d, "--out-size", "100000"), 2, "--out-size");
        assertOneLine(run("match", d, "--margin", "-1"), 2, "--margin");
        BadInput.Run typo = run("mix", d, "--images", "many");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("many");
        assertNoTrace(typo.err());
    }

    @Test
    void malformedExperimentFilesStopBeforeTheRunFolderExists() throws Exception {
        Path ds = BadInput.dataset(dir.resolve("ds"), 2);
        String dsJson = new ObjectMapper().writeValueAsString(ds.toString());
        Object[][] cases = {
            {"{\"mm\": {\"margin\": 2.1}", "not valid JSON"},
            {"{\"mm\": {\"margn\": 2.1}}", "unknown key 'mm.margn'"},
            {"{\"proxy\": {\"iterations\": \"many\"}}", "proxy.iterations"},
            {"{\"mm\": {\"iterations\": 2.5}}", "mm.iterations"},
            {"{\"mm\": [1]}", "mm"},
            {"{\"mm\": {\"minSize\": 300, \"maxSize\": 100}}", "mm.minSize"},
            {"{\"finetune\": {\"iterations\": -5}}", "finetune.iterations"},
            {"{\"maxTrainImages\": -1}", "maxTrainImages"},
            {"{\"mm\": {\"backgroundRatio\": 1.5}}", "mm.backgroundRatio"},
            {"{\"mm\": {\"dedupOverlap\": -0.5}}", "mm.dedupOverlap"},
            {"{\"mm\": {\"margin\": 0}}", "mm.margin"},
            {"{\"mm\": {\"margin\": -2.1}}", "mm.margin"},
            {"{\"dataset\": " + dsJson + ", \"trainSplit\": \"tarin\"}", "trainSplit", "no split 'tarin'"},
            {"{\"dataset\": " + dsJson + ", \"valSplit\": \"test\"}", "valSplit", "no split 'test'"},
            {"{\"dataset\": " + dsJson + ", \"eval\": {\"split\": \"tset\"}}", "eval.split", "no split 'tset'"},
            {"{\"dataset\": " + new ObjectMapper().writeValueAsString(dir.resolve("nowhere").toString()) + "}",
                "dataset", "no such folder"},
            {"", "exp.json"},
        };
        int k = 0;
        for (Object[] c : cases) {
            Path cfg = dir.resolve("exp" + k + "/exp.json");
            Fixtures.text(cfg, (String) c[0]);
            Path runDir = dir.resolve("run" + k++);
            BadInput.Run r = run("train", "--config", cfg.toString(), "--run-dir", runDir.toString());
            String[] fragments = new String[c.length];
            fragments[0] = cfg.toString();
            for (int i = 1; i < c.length; i++) {
                fragments[i] = (String) c[i];
            }
            assertOneLine(r, 2, fragments);
            assertThat(runDir).as("nothing ran for %s", c[0]).doesNotExist();
        }
        assertOneLine(run("train", "--config", dir.resolve("none.json").toString()), 2, "none.json", "no such file");
    }
}
