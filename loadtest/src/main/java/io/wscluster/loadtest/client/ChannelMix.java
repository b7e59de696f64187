package io.wscluster.loadtest.client;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which channels connections subscribe to and publishers publish on: {@code hot} (everyone on one
 * channel), {@code skewed:N} (N channels, popularity by Zipf's law with exponent 1: the first channel
 * gets about N/H(N) times the average) or {@code uniform:N}. Names are {@code room.bench.I}, which the
 * default channel configuration ({@code room.*}) allows.
 */
public final class ChannelMix {

    private static final String PREFIX = "room.bench.";

    private final String spec;
    private final double[] cumulative;

    private ChannelMix(String spec, double[] weights) {
        this.spec = spec;
        this.cumulative = new double[weights.length];
        double total = Arrays.stream(weights).sum();
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }
        cumulative[weights.length - 1] = 1.0;
    }

    public static ChannelMix parse(String spec) {
        String[] parts = spec.split(":", 2);
        int count = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("--channels: between 1 and 100000 channels, not " + count);
        }
        double[] weights = new double[count];
        switch (parts[0]) {
            case "hot" -> {
                if (count != 1) {
                    throw new IllegalArgumentException("--channels=hot is one channel; use skewed:N or uniform:N");
                }
                weights[0] = 1;
            }
            case "uniform" -> Arrays.fill(weights, 1);
            case "skewed" -> {
                for (int i = 0; i < count; i++) {
                    weights[i] = 1.0 / (i + 1);
                }
            }
            default -> throw new IllegalArgumentException("--channels is hot, skewed:N or uniform:N, not " + spec);
        }
        return new ChannelMix(spec, weights);
    }

    public int size() {
        return cumulative.length;
    }

    public String name(int index) {
        return PREFIX + index;
    }

    public String spec() {
        return spec;
    }

    /** A channel drawn from the mix. */
    public int pick(SplittableRandom random) {
        int at = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(at >= 0 ? at : -at - 1, cumulative.length - 1);
    }

    /** {@code count} different channels drawn from the mix (all of them when count >= size). */
    public int[] pickDistinct(SplittableRandom random, int count) {
        int wanted = Math.min(count, size());
        if (wanted == size()) {
            int[] all = new int[wanted];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] chosen = new int[wanted];
        int found = 0;
        while (found < wanted) {
            int candidate = pick(random);
            boolean taken = false;
            for (int i = 0; i < found; i++) {
                taken |= chosen[i] == candidate;
            }
            if (!taken) {
                chosen[found++] = candidate;
            }
        }
        return chosen;
    }
}
