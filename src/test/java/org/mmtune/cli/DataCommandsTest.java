package org.mmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandsTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = MmtuneCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void synthThenInfoAsJson() throws Exception {
        Path out = dir.resolve("syn");
        Run s = run("synth", "--out", out.toString(), "--seed", "7", "--train", "3", "--val", "2", "--size", "96x64");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("3 train + 2 val");
        Run again = run("synth", "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip()).contains("not empty").doesNotContain("\n");

        Run info = run("info", out.toString(), "--json");
        assertThat(info.code()).as(info.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(info.out());
        assertThat(j.get("format").asText()).isEqualTo("DESCRIPTOR");
        assertThat(j.get("classes")).hasSize(7);
        assertThat(j.get("classes").get(1).get("name").asText()).isEqualTo("sky");
        assertThat(j.get("classes").get(1).get("color").asText()).startsWith("#");
        assertThat(j.get("ignoreIndex").asInt()).isEqualTo(255);
        assertThat(j.get("backgroundIndex").asInt()).isZero();
        assertThat(j.get("splits").get("train").get("images").asInt()).isEqualTo(3);
        assertThat(j.get("splits").get("val").get("problems").isArray()).isTrue();

        Run text = run("info", out.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("DESCRIPTOR").contains("sky").contains("problems    none");
    }

    @Test
    void badDatasetsAreOneLineAndExitOne() throws Exception {
        Run missing = run("info", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).contains("nowhere").contains("no such folder").doesNotContain("\n");
        Files.createDirectories(dir.resolve("odd"));
        Run unknown = run("info", dir.resolve("odd").toString());
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).contains("no known dataset format").doesNotContain("\n");
        Run badSize = run("synth", "--out", dir.resolve("x").toString(), "--size", "big");
        assertThat(badSize.code()).isEqualTo(2);
    }
}
