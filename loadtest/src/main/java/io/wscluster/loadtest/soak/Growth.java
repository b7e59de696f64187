package io.wscluster.loadtest.soak;

import java.util.List;

/**
 * Whether a series sampled over a soak grows: the median of its last third against the median of its first
 * third, beyond both a relative and an absolute margin (medians, so one sample taken mid-GC or mid-drain
 * does not decide).
 */
record Growth(double first, double last, boolean grows) {

    /** Needs at least three samples; fewer say nothing (not growing). */
    static Growth of(List<Double> samples, double relativeMargin, double absoluteMargin) {
        if (samples.size() < 3) {
            double only = samples.isEmpty() ? Double.NaN : samples.get(0);
            return new Growth(only, samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1), false);
        }
        int third = samples.size() / 3;
        double first = median(samples.subList(0, third));
        double last = median(samples.subList(samples.size() - third, samples.size()));
        double increase = last - first;
        return new Growth(first, last, increase > absoluteMargin && increase > relativeMargin * first);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** "first -> last", rounded. */
    String range() {
        return String.format(java.util.Locale.ROOT, "%.0f -> %.0f", first, last);
    }

    @Override
    public String toString() {
        return range() + (grows ? "  GROWS" : "");
    }
}
