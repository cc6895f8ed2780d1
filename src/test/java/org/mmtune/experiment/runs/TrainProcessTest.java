package org.mmtune.experiment.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The child command line: our own Java, our class path, our offline switches, the CLI's train command. */
class TrainProcessTest {

    @Test
    void childRunsOurCliWithTheSameJavaAndClassPath() {
        System.setProperty("mmtune.sampleData", "/somewhere/sample-data");
        try {
            List<String> cmd = TrainProcess.command(Path.of("exp.json"), Path.of("runs/r1"), "cpu", List.of("--resume"));
            assertThat(Path.of(cmd.get(0))).startsWith(Path.of(System.getProperty("java.home")));
            assertThat(cmd.get(1)).isEqualTo("-cp");
            assertThat(cmd.get(2)).isEqualTo(System.getProperty("java.class.path"));
            assertThat(cmd).contains("-Dai.djl.offline=true", "-Dmmtune.sampleData=/somewhere/sample-data");
            int main = cmd.indexOf("org.mmtune.Launcher");
            assertThat(cmd.subList(main, cmd.size())).containsExactly("org.mmtune.Launcher", "train",
                    "--config", Path.of("exp.json").toAbsolutePath().toString(),
                    "--run-dir", Path.of("runs/r1").toAbsolutePath().toString(), "--device", "cpu", "--resume");
        } finally {
            System.clearProperty("mmtune.sampleData");
        }
    }
}
