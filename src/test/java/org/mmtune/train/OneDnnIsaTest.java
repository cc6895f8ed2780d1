package org.mmtune.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the ISA is chosen: the user's variable, then the cached verdict, then the probe's judgement. */
class OneDnnIsaTest {

    @TempDir
    Path tmp;

    private static OneDnnIsa.Measured ok(String isa, double ms, double diff) {
        return new OneDnnIsa.Measured(isa, true, diff, ms / 2, ms / 2, null);
    }

    @Test
    void theFastestIsaWhoseGradientsAreFiniteAndAgreeWithAvxWins() {
        OneDnnIsa.Choice c = OneDnnIsa.judge(List.of(ok("AVX", 100, 0), ok("AVX2", 80, 4e-6),
                ok("AVX512_CORE", 60, 8e-4), ok("ALL", 65, 8e-4)), "2026-01-01");
        assertThat(c.isa()).isEqualTo("AVX512_CORE");
        assertThat(c.reason()).contains("AVX 100 ms").contains("AVX512_CORE 60 ms").contains("2026-01-01");
    }

    @Test
    void fasterIsasWithNanOrDisagreeingGradientsAreRefused() {
        OneDnnIsa.Choice c = OneDnnIsa.judge(List.of(ok("AVX", 100, 0), ok("AVX2", 90, 1e-5),
                new OneDnnIsa.Measured("AVX512_CORE", false, Double.POSITIVE_INFINITY, 30, 30, null),
                ok("ALL", 50, 0.3)), "d");
        assertThat(c.isa()).isEqualTo("AVX2");
        assertThat(c.reason()).contains("AVX512_CORE NaN gradients").contains("ALL 50 ms, gradients off by 3.0e-01");

        OneDnnIsa.Choice none = OneDnnIsa.judge(List.of(ok("AVX", 100, 0),
                new OneDnnIsa.Measured("AVX2", false, 0, 0, 0, "exit code 1")), "d");
        assertThat(none.isa()).isEqualTo("AVX");
        assertThat(none.reason()).contains("AVX2 failed (exit code 1)");

        OneDnnIsa.Choice refFailed = OneDnnIsa.judge(List.of(
                new OneDnnIsa.Measured("AVX", false, 0, 10, 10, null), ok("AVX2", 5, 0)), "d");
        assertThat(refFailed.isa()).isEqualTo("AVX");
        assertThat(refFailed.reason()).contains("reference itself failed");
    }

    @Test
    void candidatesFollowTheCpuFlags() {
        assertThat(OneDnnIsa.candidates(Set.of("sse4_1", "avx"))).containsExactly("AVX");
        assertThat(OneDnnIsa.candidates(Set.of("avx", "avx2"))).containsExactly("AVX", "AVX2");
        assertThat(OneDnnIsa.candidates(Set.of("avx", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq")))
                .containsExactly("AVX", "AVX2", "AVX512_CORE");
        assertThat(OneDnnIsa.candidates(Set.of("avx", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq",
                "avx512_bf16"))).containsExactly("AVX", "AVX2", "AVX512_CORE", "ALL");
    }

    @Test
    void gradientDifferenceIsRelativePerParameterAndNanIsInfinite() {
        List<float[]> ref = List.of(new float[] {3, 4}, new float[] {1});
        assertThat(OneDnnIsa.relDiff(ref, ref)).isZero();
        assertThat(OneDnnIsa.relDiff(List.of(new float[] {3, 4.05f}, new float[] {1}), ref)).isCloseTo(0.01, within());
        assertThat(OneDnnIsa.relDiff(List.of(new float[] {3, 4}, new float[] {Float.NaN}), ref)).isInfinite();
        assertThat(OneDnnIsa.relDiff(List.of(new float[] {3, 4}), ref)).isInfinite();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }

    @Test
    void theUsersVariableWinsThenTheCacheThenTheProbeOrItsConservativeFallback() throws Exception {
        List<String> notes = new ArrayList<>();
        OneDnnIsa.Choice own = OneDnnIsa.decide("AVX2", tmp, true, notes::add);
        assertThat(own.isa()).isEqualTo("AVX2");
        assertThat(own.reason()).contains("set in the environment");
        assertThat(tmp.resolve(OneDnnIsa.CACHE_FILE)).doesNotExist();

        if (!OneDnnIsa.cpuFlags().contains("avx")) {
            assertThat(OneDnnIsa.decide(null, tmp, false, notes::add).isa()).isNull();
            return;
        }
        OneDnnIsa.Choice off = OneDnnIsa.decide(null, tmp, false, notes::add);
        assertThat(off.isa()).isEqualTo("AVX");
        assertThat(off.reason()).contains("probe is off");

        OneDnnIsa.cacheVerdict(tmp, new OneDnnIsa.Choice("AVX512_CORE", "probed earlier"));
        OneDnnIsa.Choice cached = OneDnnIsa.decide(null, tmp, true, notes::add);
        assertThat(cached.isa()).isEqualTo("AVX512_CORE");
        assertThat(cached.reason()).startsWith("probed earlier; cached in ");
        assertThat(notes).as("no probe ran").isEmpty();
        assertThat(Files.readString(tmp.resolve(OneDnnIsa.CACHE_FILE))).contains(OneDnnIsa.machineKey());

        // an unreadable cache is not fatal
        Files.writeString(tmp.resolve(OneDnnIsa.CACHE_FILE), "{not json");
        assertThat(OneDnnIsa.decide(null, tmp, false, notes::add).isa()).isEqualTo("AVX");
    }
}
