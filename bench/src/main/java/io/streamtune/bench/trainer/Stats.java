package io.streamtune.bench.trainer;

/** Mean and sample standard deviation over seeds. */
final class Stats {

    private Stats() {}

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double sd(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
    }

    /** " (N of S runs diverged, counted as 0)" when any did, else "". */
    static String diverged(java.util.Map<String, Integer> diverged, String row, int seeds) {
        Integer n = diverged.get(row);
        return n == null ? "" : " (" + n + " of " + seeds + " runs diverged, counted as 0)";
    }
}
