package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmtune.cli.BadInput.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.cli.BadInput.Run;

class MixCommandsTest {

    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void makeData() {
        data = dir.resolve("syn");
        Run s = run("synth", "--out", data.toString(), "--seed", "3", "--train", "6", "--val", "2", "--size", "160x120");
        assertThat(s.code()).as(s.err()).isZero();
    }

    @Test
    void mixPrintsCountsAndWritesJsonAndGrid() throws Exception {
        Path json = dir.resolve("out/mix.json");
        Path grid = dir.resolve("out/mix.png");
        Run r = run("mix", data.toString(), "--images", "4", "--patches-per-image", "5", "--min-size", "32",
                "--max-size", "96", "--out-size", "32", "--seed", "9", "--json", json.toString(), "--grid", grid.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("patches   20").contains("mean purity").contains("other");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("patches")).hasSize(20);
        JsonNode p = j.get("patches").get(0);
        for (String k : new String[] {"image", "cx", "cy", "size", "label", "purity"}) {
            assertThat(p.has(k)).as(k).isTrue();
        }
        assertThat(j.get("stats").get("patches").asInt()).isEqualTo(20);
        assertThat(j.get("stats").get("perClass").get("0").get("count").asInt()).isEqualTo(4); // one background per image
        byte[] png = Files.readAllBytes(grid);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        try (var files = Files.list(grid.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("mix.json", "mix.png");
        }
        // same seed, same patches
        Path again = dir.resolve("out/again.json");
        run("mix", data.toString(), "--images", "4", "--patches-per-image", "5", "--min-size", "32",
                "--max-size", "96", "--out-size", "32", "--seed", "9", "--threads", "1", "--json", again.toString());
        assertThat(new ObjectMapper().readTree(again.toFile()).get("patches")).isEqualTo(j.get("patches"));
    }

    @Test
    void matchWritesGraphJson() throws Exception {
        for (String strategy : new String[] {"classwise", "random", "hard"}) {
            Path json = dir.resolve("match-" + strategy + ".json");
            Run r = run("match", data.toString(), "--images", "6", "--min-size", "32", "--max-size", "96",
                    "--out-size", "32", "--strategy", strategy, "--json", json.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("60 nodes").contains("components");
            JsonNode j = new ObjectMapper().readTree(json.toFile());
            assertThat(j.get("nodes").asInt()).isEqualTo(60);
            assertThat(j.get("labels")).hasSize(60);
            assertThat(j.get("triplets")).hasSize(60);
            assertThat(j.get("triplets").get(0)).hasSize(3);
            if (!strategy.equals("random")) {
                j.get("components").forEach(c -> assertThat(c.asInt()).isEqualTo(1));
            }
        }
    }

    @Test
    void dedupRuleAndRelativeSizesAreOptions() throws Exception {
        String[] base = {"mix", data.toString(), "--images", "6", "--seed", "4"};
        JsonNode ref = mixJson("ref.json", base);
        JsonNode refExplicit = mixJson("ref2.json", concat(base, "--dedup-rule", "reference"));
        JsonNode own = mixJson("own.json", concat(base, "--dedup-rule", "own-area"));
        assertThat(ref.get("config").get("dedupRule").asText()).isEqualTo("reference");
        assertThat(own.get("config").get("dedupRule").asText()).isEqualTo("own-area");
        assertThat(refExplicit.get("patches")).isEqualTo(ref.get("patches"));
        assertThat(own.get("patches")).isNotEqualTo(ref.get("patches"));
        // relative sides: 0.25..0.5 of the 120-pixel shorter side of the synthetic images = 30..60
        JsonNode rel = mixJson("rel.json", concat(base, "--size-mode", "relative", "--min-fraction", "0.25",
                "--max-fraction", "0.5"));
        assertThat(rel.get("config").get("sizeMode").asText()).isEqualTo("relative");
        rel.get("patches").forEach(p -> assertThat(p.get("size").asInt()).isBetween(30, 60));
        Run bad = run("mix", data.toString(), "--dedup-rule", "first");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("mmtune: --dedup-rule: 'first' is not one of reference, own-area");
        Run badFraction = run("mix", data.toString(), "--size-mode", "relative", "--max-fraction", "1.5");
        assertThat(badFraction.code()).isEqualTo(2);
        assertThat(badFraction.err()).contains("--max-fraction must be in (0, 1]");
    }

    private static JsonNode mixJson(String name, String... args) throws Exception {
        Path json = dir.resolve(name);
        Run r = run(concat(args, "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badOptionsGiveOneLineAndExitCode2() {
        Run r = run("mix", data.toString(), "--min-size", "300");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mmtune: --min-size (300) is larger than --max-size (256)");
        Run b = run("mix", data.toString(), "--background-ratio", "1.5");
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("--background-ratio must be between 0 and 1").doesNotContain("Exception");
        Run s = run("match", data.toString(), "--strategy", "nearest");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("strategy 'nearest' is not one of classwise, random, hard");
        Run split = run("mix", data.toString(), "--split", "test");
        assertThat(split.code()).isEqualTo(2);
        assertThat(split.err()).contains("no split 'test'");
        Run missing = run("mix", dir.resolve("nothing").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().lines().count()).isEqualTo(1);
    }

    @Test
    void benchMixPrintsFiguresAndJson() throws Exception {
        Path json = dir.resolve("bench.json");
        Run r = run("bench", "mix", data.toString(), "--repeats", "1", "--check-rounds", "2", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sampleCropGraphSeconds").contains("check PASSED");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        for (String k : new String[] {"images", "patches", "decodeSeconds", "sampleCropGraphSeconds", "endToEndSeconds",
                "graph100kSeconds"}) {
            assertThat(j.has(k)).as(k).isTrue();
        }
        assertThat(j.get("images").asInt()).isEqualTo(6);
        assertThat(j.get("patches").asInt()).isEqualTo(60);
        assertThat(j.get("check").get("voidCentres").asInt()).isZero();
    }
}
