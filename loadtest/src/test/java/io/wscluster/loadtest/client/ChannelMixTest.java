package io.wscluster.loadtest.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelMixTest {

    @Test
    void hotIsOneChannel() {
        ChannelMix mix = ChannelMix.parse("hot");
        assertEquals(1, mix.size());
        assertEquals(0, mix.pick(new SplittableRandom(1)));
        assertEquals("room.bench.0", mix.name(0));
    }

    @Test
    void skewedFollowsZipf() {
        ChannelMix mix = ChannelMix.parse("skewed:10");
        int[] counts = new int[10];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            counts[mix.pick(random)]++;
        }
        // Zipf s=1 over 10: the first gets 1/H(10) = 34 %, the second half of that, the last 3.4 %.
        assertEquals(0.341, counts[0] / 100_000.0, 0.01);
        assertEquals(2.0, (double) counts[0] / counts[1], 0.1);
        assertEquals(0.034, counts[9] / 100_000.0, 0.005);
    }

    @Test
    void uniformIsEven() {
        ChannelMix mix = ChannelMix.parse("uniform:4");
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 40_000; i++) {
            counts[mix.pick(random)]++;
        }
        Arrays.stream(counts).forEach(c -> assertEquals(10_000, c, 400));
    }

    @Test
    void distinctPicksHaveNoRepeats() {
        ChannelMix mix = ChannelMix.parse("skewed:20");
        int[] picked = mix.pickDistinct(new SplittableRandom(5), 8);
        assertEquals(8, Arrays.stream(picked).distinct().count());
        assertArrayEquals(new int[] {0, 1, 2, 3}, ChannelMix.parse("uniform:4").pickDistinct(new SplittableRandom(1), 10));
    }

    @Test
    void samePickForSameSeed() {
        ChannelMix mix = ChannelMix.parse("skewed:50");
        assertArrayEquals(mix.pickDistinct(new SplittableRandom(42), 3), mix.pickDistinct(new SplittableRandom(42), 3));
    }

    @Test
    void badSpecsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChannelMix.parse("hot:3"));
        assertThrows(IllegalArgumentException.class, () -> ChannelMix.parse("zipf:3"));
        assertThrows(IllegalArgumentException.class, () -> ChannelMix.parse("uniform:0"));
        assertTrue(ChannelMix.parse("uniform:100").size() == 100);
    }
}
