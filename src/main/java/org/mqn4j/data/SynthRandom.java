package org.mqn4j.data;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The random source of the synthetic task: SplitMix64, written out here so that a seed gives the
 * same data on every JVM. {@link #forSample} derives an independent stream per (seed, split, index),
 * which makes each sample independent of the others and of the thread that makes it. Not thread-safe.
 */
public final class SynthRandom {
    private long state;

    public SynthRandom(long seed) {
        this.state = seed;
    }

    /** The stream of sample {@code index} of {@code split} for a dataset seed. */
    public static SynthRandom forSample(long seed, String split, long index) {
        long h = mix(seed ^ 0x6D716E346A73796EL);
        for (byte b : split.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return new SynthRandom(mix(h ^ mix(index + 0x9E3779B97F4A7C15L)));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform in [0, n). */
    public int nextInt(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + n);
        }
        return (int) ((nextLong() >>> 33) % n);
    }

    /** Uniform in [lo, hi] (both inclusive). */
    public int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Standard normal (Box-Muller). */
    public double gaussian() {
        double u = 1.0 - nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * nextDouble());
    }

    public <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    /** Index drawn with the given (unnormalised) weights. */
    public int weighted(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
