package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmtune.data.synth.SceneGenerator;
import org.mmtune.data.synth.SyntheticDataset;

/** The bundled sample-data/ is what the generator makes with its defaults, byte for byte. */
class SampleDataTest {

    @TempDir
    Path dir;

    private static final Path COMMITTED = Path.of("sample-data");

    @Test
    void defaultSeedReproducesTheCommittedSampleData() throws Exception {
        assertThat(COMMITTED.resolve("dataset.json")).exists();
        Path fresh = dir.resolve("fresh");
        SyntheticDataset.write(fresh, SyntheticDataset.Spec.defaults(), false);
        List<Path> committed = files(COMMITTED);
        List<Path> generated = files(fresh);
        assertThat(generated).isEqualTo(committed);
        long total = 0;
        for (Path rel : committed) {
            byte[] a = Files.readAllBytes(COMMITTED.resolve(rel));
            byte[] b = Files.readAllBytes(fresh.resolve(rel));
            assertThat(b).as("bytes of %s", rel).isEqualTo(a);
            total += a.length;
        }
        assertThat(total).isLessThan(3L * 1024 * 1024);
    }

    @Test
    void sampleDataOpensWithEveryClassPresentAndABackground() throws Exception {
        SegmentationDataset ds = DatasetLoader.open(COMMITTED);
        assertThat(ds.format()).isEqualTo(DatasetFormat.DESCRIPTOR);
        assertThat(ds.numClasses()).isGreaterThanOrEqualTo(5);
        assertThat(ds.backgroundIndex()).isEqualTo(SceneGenerator.OTHER);
        assertThat(ds.pairs("train")).hasSizeGreaterThanOrEqualTo(24);
        assertThat(ds.pairs("val")).hasSizeGreaterThanOrEqualTo(12);
        DatasetReport r = DatasetValidator.validate(ds);
        for (DatasetReport.SplitReport s : r.splits().values()) {
            assertThat(s.problemCount()).isZero();
            assertThat(s.classFrequencies()).allSatisfy(f -> assertThat(f.fraction()).isGreaterThan(0.003));
        }
    }

    @Test
    void generatingTwiceGivesTheSameBytesAndAnotherSeedOtherBytes() throws Exception {
        SyntheticDataset.Spec spec = new SyntheticDataset.Spec(99, 3, 2, 96, 64);
        SyntheticDataset.write(dir.resolve("a"), spec, false);
        SyntheticDataset.write(dir.resolve("b"), spec, false);
        SyntheticDataset.write(dir.resolve("c"), new SyntheticDataset.Spec(100, 3, 2, 96, 64), false);
        List<Path> files = files(dir.resolve("a"));
        assertThat(files).hasSize(11).isEqualTo(files(dir.resolve("b")));
        for (Path rel : files) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(rel))).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(rel)));
        }
        Path img = Path.of("train/images/s0000.jpg");
        assertThat(Files.readAllBytes(dir.resolve("c").resolve(img))).isNotEqualTo(Files.readAllBytes(dir.resolve("a").resolve(img)));
    }

    @Test
    void differentSeedsDifferAndTheSameSeedRepeats() {
        SceneGenerator g = new SceneGenerator(64, 48);
        assertThat(g.generate(1).rgb()).isEqualTo(g.generate(1).rgb());
        assertThat(g.generate(1).labels()).isEqualTo(g.generate(1).labels());
        assertThat(g.generate(1).rgb()).isNotEqualTo(g.generate(2).rgb());
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
