package org.mmtune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaletteTest {

    private static double distance(int a, int b) {
        int dr = (a >> 16 & 0xff) - (b >> 16 & 0xff);
        int dg = (a >> 8 & 0xff) - (b >> 8 & 0xff);
        int db = (a & 0xff) - (b & 0xff);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    @Test
    void fixedDistinctAndNeitherWhiteNorBlack() {
        assertThat(Palette.color(0)).isEqualTo(0xf3c300);
        assertThat(Palette.color(4)).isEqualTo(0xbe0032);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            int c = Palette.color(i);
            assertThat(seen.add(c)).as("colour of class %d is new", i).isTrue();
            assertThat(distance(c, 0xffffff)).as("class %d vs white", i).isGreaterThan(60);
            assertThat(distance(c, 0x000000)).as("class %d vs black", i).isGreaterThan(60);
            if (i > 0) {
                assertThat(distance(c, Palette.color(i - 1))).as("class %d vs class %d", i, i - 1).isGreaterThan(80);
            }
        }
        assertThatThrownBy(() -> Palette.color(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFirstEighteenAreFarApart() {
        for (int i = 0; i < 18; i++) {
            for (int j = 0; j < i; j++) {
                assertThat(distance(Palette.color(i), Palette.color(j))).as("%d vs %d", i, j).isGreaterThan(40);
            }
        }
    }
}
