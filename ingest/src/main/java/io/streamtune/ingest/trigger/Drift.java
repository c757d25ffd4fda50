package io.streamtune.ingest.trigger;

import io.streamtune.contracts.DriftDetected;
import io.streamtune.contracts.DriftReference;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Drift of a model's live predictions from its version's {@link DriftReference}, per window: the
 * population-stability index (PSI, {@code sum (a - e) ln(a / e)} over categories, both sides
 * smoothed by half a count per category) of the top-confidence bins and of the top-class shares.
 *
 * <p>The threshold is the statistic's own sampling noise, calibrated by the sizes involved: when
 * window and reference come from one distribution, {@code PSI / (1/n + 1/m)} is approximately
 * chi-squared with {@code k - 1} degrees of freedom ({@code n} window frames, {@code m} reference
 * images, {@code k} categories), so a window drifts when a PSI exceeds {@code chi2(k - 1, 1 -
 * alpha) (1/n + 1/m)}. A small reference set thus needs a larger shift before it calls drift.
 *
 * <p>When the version's reference has an embedding distribution ({@link DriftReference.Embedding}:
 * equal-share bins of each dimension of the backbone's projected features on the reference images)
 * and the window's frames carry embeddings, each dimension's bins are compared the same way and the
 * largest PSI is judged at {@code alpha / D} per dimension ({@code D} dimensions, Bonferroni), so
 * the window's false-alarm rate stays at most {@code alpha} for that statistic. This sees what the
 * predictions alone may not: a camera whose image changed (fog, a moved mount, a new scene) while
 * the model keeps answering with the same confidence.
 *
 * <p>Frames of a camera are not independent draws: one scene stays in view for many frames, so a
 * window of {@code n} frames holds far fewer independent observations, and a threshold for {@code
 * n} independent frames raises false alarms. The window is therefore counted in {@link #BLOCKS}
 * time blocks too, and the dispersion {@code phi} of the stream is estimated from them as in
 * quasi-likelihood: the chi-squared statistic of homogeneity of the blocks' category counts over
 * its degrees of freedom, pooled over the confidence bins and the embedding dimensions (about 1 for
 * independent frames, larger when neighbouring frames agree). The window's share of each
 * threshold's variance scales by it: {@code chi2(k - 1, 1 - alpha) (phi/n + 1/m)}, {@code phi >=
 * 1}. A shift that begins inside a window inflates {@code phi} too, so that window may pass; the
 * next, wholly shifted one does not.
 */
public final class Drift {

    /**
     * When drift is measured and when it triggers training.
     *
     * @param window {@code drift.window} (5m): the tumbling window, by record time
     * @param minFrames {@code drift.window.min.frames} (200): smaller windows are not judged
     * @param alpha {@code drift.alpha} (0.001): false-alarm rate per statistic and window
     * @param windows {@code trigger.drift.windows} (3): drifted windows in a row that trigger
     * @param minLabels {@code trigger.drift.min.labels} (20): new labels needed for a drift trigger
     */
    public record Settings(
            Duration window, int minFrames, double alpha, int windows, int minLabels) {

        /** The defaults. */
        public static final Settings DEFAULTS =
                new Settings(Duration.ofMinutes(5), 200, 0.001, 3, 20);

        public Settings {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive");
            }
            if (minFrames < 1 || windows < 1 || minLabels < 0) {
                throw new IllegalArgumentException(
                        "need minFrames >= 1, windows >= 1, minLabels >= 0");
            }
            if (!(alpha > 0 && alpha < 0.5)) {
                throw new IllegalArgumentException("alpha must be in (0, 0.5), was " + alpha);
            }
        }
    }

    /** Time blocks of a window, for the dispersion estimate. */
    static final int BLOCKS = 10;

    /**
     * One model's window in progress; the value of the {@code drift} store.
     *
     * @param version the version whose reference applies
     * @param reference its reference
     * @param window index of the window being counted ({@code record time / window}), -1 before the
     *     first prediction
     * @param bins top-confidence counts per bin
     * @param classes top-class counts
     * @param frames predictions counted
     * @param consecutive drifted windows in a row so far
     * @param embedding per embedding dimension, counts per reference bin of the frames that carried
     *     an embedding of the reference's size (null: none yet, or the reference has no embedding)
     * @param blocks per time block of the window, its counts of the confidence bins followed by
     *     those of each embedding dimension's bins (null: nothing counted yet, or a state written
     *     before blocks were counted)
     */
    public record State(
            int version,
            DriftReference reference,
            long window,
            long[] bins,
            Map<String, Long> classes,
            long frames,
            int consecutive,
            long[][] embedding,
            long[][] blocks) {

        /** A fresh state for a newly announced version. */
        public static State of(int version, DriftReference reference) {
            return new State(
                    version,
                    reference,
                    -1,
                    new long[DriftReference.BINS],
                    Map.of(),
                    0,
                    0,
                    null,
                    null);
        }

        /** The same state counting one more observation, in time block {@code block}. */
        State add(DriftReference.Observation o, int block) {
            long[] b = bins.clone();
            int confidenceBin = DriftReference.bin(o.confidence());
            b[confidenceBin]++;
            Map<String, Long> c = new HashMap<>(classes);
            c.merge(o.topClass(), 1L, Long::sum);
            int[] embeddingBins = embeddingBins(o);
            long[][] e = embedding;
            if (embeddingBins != null) {
                e = new long[embeddingBins.length][];
                for (int d = 0; d < e.length; d++) {
                    e[d] = embedding == null ? new long[DriftReference.BINS] : embedding[d].clone();
                    e[d][embeddingBins[d]]++;
                }
            }
            int width = DriftReference.BINS * (1 + embeddingDimensions());
            long[][] k = new long[BLOCKS][];
            for (int i = 0; i < BLOCKS; i++) {
                k[i] =
                        blocks == null || blocks.length != BLOCKS || blocks[i].length != width
                                ? new long[width]
                                : blocks[i];
            }
            int at = Math.max(0, Math.min(BLOCKS - 1, block));
            k[at] = k[at].clone();
            k[at][confidenceBin]++;
            if (embeddingBins != null) {
                for (int d = 0; d < embeddingBins.length; d++) {
                    k[at][DriftReference.BINS * (1 + d) + embeddingBins[d]]++;
                }
            }
            return new State(version, reference, window, b, c, frames + 1, consecutive, e, k);
        }

        private int embeddingDimensions() {
            return reference == null || reference.embedding() == null
                    ? 0
                    : reference.embedding().dimensions();
        }

        /** The observation's bin per embedding dimension; null when it cannot be counted. */
        private int[] embeddingBins(DriftReference.Observation o) {
            DriftReference.Embedding ref = reference == null ? null : reference.embedding();
            if (ref == null || o.embedding() == null || o.embedding().size() != ref.dimensions()) {
                return null;
            }
            int[] out = new int[ref.dimensions()];
            for (int d = 0; d < out.length; d++) {
                out[d] = ref.bin(d, o.embedding().get(d));
            }
            return out;
        }

        /** Frames of the window that carried an embedding. */
        long embedded() {
            long n = 0;
            if (embedding != null) {
                for (long c : embedding[0]) {
                    n += c;
                }
            }
            return n;
        }

        /** An empty window {@code index}, the drift streak carried. */
        State next(long index, int streak) {
            return new State(
                    version,
                    reference,
                    index,
                    new long[DriftReference.BINS],
                    Map.of(),
                    0,
                    streak,
                    null,
                    null);
        }
    }

    private Drift() {}

    /**
     * How long after a window's end, with no prediction of the model meanwhile, the window is
     * judged without waiting for the next prediction: a tenth of the window, at most a minute.
     */
    static Duration quietGrace(Duration window) {
        return Duration.ofMillis(Math.min(60_000, Math.max(1, window.toMillis() / 10)));
    }

    /** How often windows are checked for having gone quiet: as often as the grace, at least 1 s. */
    static Duration quietCheckEvery(Duration window) {
        return Duration.ofMillis(Math.max(1_000, quietGrace(window).toMillis()));
    }

    /** The PSI of observed counts against reference shares over {@code m} samples. */
    static double psi(double[] expected, long[] observed, int m) {
        int k = expected.length;
        long n = 0;
        for (long o : observed) {
            n += o;
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double e = (expected[i] * m + 0.5) / (m + 0.5 * k);
            double a = (observed[i] + 0.5) / (n + 0.5 * k);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /** The PSI a window of {@code n} exceeds with probability {@code alpha} under no drift. */
    static double threshold(int categories, long n, int m, double alpha) {
        return threshold(categories, n, m, alpha, 1);
    }

    /**
     * Likewise for a stream of dispersion {@code phi} (>= 1): the window's part of the variance is
     * {@code phi} times that of independent frames.
     */
    static double threshold(int categories, long n, int m, double alpha, double phi) {
        int df = Math.max(1, categories - 1);
        return new ChiSquaredDistribution(null, df).inverseCumulativeProbability(1 - alpha)
                * (Math.max(1, phi) / n + 1.0 / m);
    }

    /**
     * The dispersion of the window's frames: the chi-squared statistic of homogeneity of the time
     * blocks' counts over its degrees of freedom, pooled over the tables (the confidence bins and
     * each embedding dimension's bins), at least 1. Blocks and categories without counts take no
     * part; 1 when the blocks say nothing (one block, or a state without blocks).
     */
    static double dispersion(State s) {
        if (s.blocks() == null) {
            return 1;
        }
        double phi = 1;
        for (int merged : new int[] {1, 2, 5}) {
            phi = Math.max(phi, dispersion(s.blocks(), merged));
        }
        return phi;
    }

    /** The pooled dispersion with every {@code merged} neighbouring blocks counted as one. */
    private static double dispersion(long[][] blocks, int merged) {
        int rowsCount = blocks.length / merged;
        int width = blocks[0].length;
        double x2 = 0;
        long df = 0;
        for (int from = 0; from < width; from += DriftReference.BINS) {
            long[][] t = new long[rowsCount][DriftReference.BINS];
            long[] columns = new long[DriftReference.BINS];
            long[] rows = new long[rowsCount];
            long n = 0;
            for (int b = 0; b < rowsCount * merged; b++) {
                for (int j = 0; j < DriftReference.BINS; j++) {
                    long c = blocks[b][from + j];
                    t[b / merged][j] += c;
                    columns[j] += c;
                    rows[b / merged] += c;
                    n += c;
                }
            }
            int usedRows = 0;
            int usedColumns = 0;
            for (long r : rows) {
                usedRows += r > 0 ? 1 : 0;
            }
            for (long c : columns) {
                usedColumns += c > 0 ? 1 : 0;
            }
            if (usedRows < 2 || usedColumns < 2) {
                continue;
            }
            for (int b = 0; b < rowsCount; b++) {
                for (int j = 0; j < DriftReference.BINS; j++) {
                    if (rows[b] == 0 || columns[j] == 0) {
                        continue;
                    }
                    double expected = (double) rows[b] * columns[j] / n;
                    double d = t[b][j] - expected;
                    x2 += d * d / expected;
                }
            }
            df += (long) (usedRows - 1) * (usedColumns - 1);
        }
        return df == 0 ? 1 : x2 / df;
    }

    /** Judges a closed window. */
    static DriftDetected judge(
            String model, State s, Settings settings, Instant start, Instant end) {
        DriftReference ref = s.reference();
        double[] confidence = new double[DriftReference.BINS];
        for (int i = 0; i < confidence.length; i++) {
            confidence[i] = ref.confidence().get(i);
        }
        double phi = dispersion(s);
        double confPsi = psi(confidence, s.bins(), ref.samples());
        double confThreshold =
                threshold(DriftReference.BINS, s.frames(), ref.samples(), settings.alpha(), phi);
        TreeSet<String> names = new TreeSet<>(ref.classes().keySet());
        names.addAll(s.classes().keySet());
        double[] expected = new double[names.size()];
        long[] observed = new long[names.size()];
        int i = 0;
        for (String name : names) {
            expected[i] = ref.classes().getOrDefault(name, 0.0);
            observed[i] = s.classes().getOrDefault(name, 0L);
            i++;
        }
        double classPsi = psi(expected, observed, ref.samples());
        double classThreshold =
                threshold(names.size(), s.frames(), ref.samples(), settings.alpha(), phi);
        Double embeddingPsi = null;
        Double embeddingThreshold = null;
        DriftReference.Embedding e = ref.embedding();
        long embedded = s.embedded();
        if (e != null && embedded >= settings.minFrames()) {
            double worst = 0;
            for (int d = 0; d < e.dimensions(); d++) {
                double[] shares = new double[DriftReference.BINS];
                for (int b = 0; b < shares.length; b++) {
                    shares[b] = e.shares().get(d).get(b);
                }
                worst = Math.max(worst, psi(shares, s.embedding()[d], ref.samples()));
            }
            embeddingPsi = worst;
            embeddingThreshold =
                    threshold(
                            DriftReference.BINS,
                            embedded,
                            ref.samples(),
                            settings.alpha() / e.dimensions(),
                            phi);
        }
        boolean drifted =
                confPsi > confThreshold
                        || (names.size() > 1 && classPsi > classThreshold)
                        || (embeddingPsi != null && embeddingPsi > embeddingThreshold);
        return new DriftDetected(
                model,
                s.version(),
                start,
                end,
                s.frames(),
                confPsi,
                classPsi,
                confThreshold,
                classThreshold,
                drifted,
                drifted ? s.consecutive() + 1 : 0,
                embeddingPsi,
                embeddingThreshold,
                phi);
    }
}
