package io.streamtune.trainer.gate;

import io.streamtune.contracts.GateEvidence;
import io.streamtune.contracts.ModelRejected.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Decides whether a candidate replaces production, on the gate split only, by evidence rather than
 * by a point estimate:
 *
 * <ul>
 *   <li>no ground truth in the gate split: not comparable, never a publish;
 *   <li>fewer gate samples than {@code minSamples}, or (classification) a class with fewer than
 *       {@code minPerClass}: not enough evidence to judge;
 *   <li>against production: a paired bootstrap over gate samples of the metric difference; the
 *       lower end of its {@code confidence} interval must exceed {@code minDelta}, and for accuracy
 *       the exact McNemar test on the discordant pairs must also reject "not better" at the same
 *       level (the bootstrap alone is too generous when only a handful of images differ). Ties and
 *       within-noise differences are rejections;
 *   <li>no forgetting: a candidate that clears production overall is still rejected when, on some
 *       class, the upper end of the same paired bootstrap's interval of its per-class metric
 *       (recall, IoU or AP) minus production's is below {@code -maxClassDrop}: it is confidently
 *       worse on that class by more than the tolerated drop, whatever it gained elsewhere;
 *   <li>a first model: the lower end of the interval of its metric (Clopper-Pearson for accuracy,
 *       bootstrap otherwise) must reach {@code floor}.
 * </ul>
 *
 * Resampling is seeded, so the same scores always give the same decision.
 */
public final class Gate {

    /**
     * Gate settings.
     *
     * @param minDelta required improvement over production, {@code >= 0}
     * @param floor what a first model's interval must reach
     * @param confidence two-sided confidence level of the intervals, e.g. 0.95
     * @param resamples bootstrap resamples
     * @param minSamples fewest gate samples to judge at all
     * @param minPerClass fewest gate samples per class (classification)
     * @param maxClassDrop the per-class metric drop against production the gate tolerates (1 = no
     *     per-class check)
     */
    public record Settings(
            double minDelta,
            double floor,
            double confidence,
            int resamples,
            int minSamples,
            int minPerClass,
            double maxClassDrop) {

        /** Settings without the per-class check. */
        public Settings(
                double minDelta,
                double floor,
                double confidence,
                int resamples,
                int minSamples,
                int minPerClass) {
            this(minDelta, floor, confidence, resamples, minSamples, minPerClass, 1.0);
        }

        public Settings {
            if (!(maxClassDrop >= 0 && maxClassDrop <= 1)) {
                throw new IllegalArgumentException(
                        "maxClassDrop must be in [0, 1], was " + maxClassDrop);
            }
            if (!(minDelta >= 0 && minDelta < 1)) {
                throw new IllegalArgumentException("minDelta must be in [0, 1), was " + minDelta);
            }
            if (!(confidence >= 0.5 && confidence < 1)) {
                throw new IllegalArgumentException(
                        "confidence must be in [0.5, 1), was " + confidence);
            }
            if (resamples < 100 || minSamples < 1 || minPerClass < 0) {
                throw new IllegalArgumentException(
                        "resamples >= 100, minSamples >= 1, minPerClass >= 0");
            }
        }
    }

    /**
     * The decision.
     *
     * @param publish whether to publish
     * @param verdict why not, null when published
     * @param reason in words, with the numbers
     * @param evidence the numbers; null when the gate could not measure (no ground truth)
     */
    public record Decision(
            boolean publish, Verdict verdict, String reason, GateEvidence evidence) {}

    private static final long SEED = 0x5eed_9a7eL;

    private final Settings settings;

    public Gate(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Judges {@code candidate} against {@code production} (null when there is no comparable
     * production model). {@code classes} and {@code perClass} (gate samples per class id) are for
     * the per-class minimum of classification; pass an empty list and null otherwise.
     */
    public Decision judge(
            String metricName,
            SampleScores candidate,
            SampleScores production,
            List<String> classes,
            int[] perClass) {
        int n = candidate.size();
        if (production != null && production.size() != n) {
            throw new IllegalArgumentException(
                    "candidate scored " + n + " gate samples, production " + production.size());
        }
        if (!candidate.hasGroundTruth()) {
            return new Decision(
                    false,
                    Verdict.NOT_COMPARABLE,
                    "the gate split ("
                            + n
                            + " samples) has no ground truth to compare against; never a publish",
                    null);
        }
        double c = candidate.metric(null);
        double p = production == null ? Double.NaN : production.metric(null);
        Optional<String> shortfall = shortfall(n, classes, perClass);
        if (shortfall.isPresent()) {
            return notEnough(metricName, c, p, n, shortfall.get());
        }
        double alpha = 1 - settings.confidence();
        return production == null
                ? first(metricName, candidate, c, n, alpha)
                : compare(metricName, candidate, production, c, p, n, alpha, classes);
    }

    /**
     * Why {@code n} gate samples ({@code perClass} of them per class id, null when not
     * classification) are too few to judge, or empty when they suffice. Known before training.
     */
    public Optional<String> shortfall(int n, List<String> classes, int[] perClass) {
        if (n < settings.minSamples()) {
            return Optional.of(
                    n
                            + " gate samples, need at least "
                            + settings.minSamples()
                            + " (trainer.gate.min.samples)");
        }
        if (perClass != null) {
            List<String> few = new ArrayList<>();
            for (int k = 0; k < perClass.length; k++) {
                if (perClass[k] < settings.minPerClass()) {
                    few.add(
                            (k < classes.size() ? classes.get(k) : "class " + k)
                                    + "="
                                    + perClass[k]);
                }
            }
            if (!few.isEmpty()) {
                return Optional.of(
                        "too few gate samples for "
                                + String.join(", ", few)
                                + ", need "
                                + settings.minPerClass()
                                + " per class (trainer.gate.min.per.class)");
            }
        }
        return Optional.empty();
    }

    private Decision first(
            String metricName, SampleScores candidate, double c, int n, double alpha) {
        double[] ci;
        String method;
        if (candidate instanceof Correctness) {
            int right = (int) Math.round(c * n);
            ci = clopperPearson(right, n, alpha);
            method = "Clopper-Pearson interval of accuracy";
        } else {
            double[] values = bootstrap(candidate, null, n);
            ci = percentiles(values, alpha);
            method = "bootstrap percentile interval over gate images";
        }
        GateEvidence e =
                new GateEvidence(
                        metricName,
                        c,
                        Double.NaN,
                        Double.NaN,
                        ci[0],
                        ci[1],
                        settings.confidence(),
                        n,
                        Double.NaN,
                        method);
        boolean ok = ci[0] >= settings.floor();
        String reason =
                String.format(
                        Locale.ROOT,
                        "no comparable production model: %s, lower bound %.4f %s floor %.4f",
                        e.describe(),
                        ci[0],
                        ok ? ">=" : "below",
                        settings.floor());
        return new Decision(ok, ok ? null : Verdict.BELOW_FLOOR, reason, e);
    }

    private Decision compare(
            String metricName,
            SampleScores candidate,
            SampleScores production,
            double c,
            double p,
            int n,
            double alpha,
            List<String> classes) {
        double[] diffs = bootstrap(candidate, production, n);
        double[] ci = percentiles(diffs, alpha);
        double pValue = Double.NaN;
        String method = "paired bootstrap of the difference over gate images";
        if (candidate instanceof Correctness a && production instanceof Correctness b) {
            int better = 0;
            int worse = 0;
            for (int i = 0; i < n; i++) {
                if (a.correct(i) && !b.correct(i)) {
                    better++;
                } else if (!a.correct(i) && b.correct(i)) {
                    worse++;
                }
            }
            pValue = mcNemarOneSided(better, worse);
            method =
                    "paired bootstrap + exact McNemar ("
                            + better
                            + " images only the candidate got right, "
                            + worse
                            + " only production)";
        }
        GateEvidence e =
                new GateEvidence(
                        metricName,
                        c,
                        p,
                        c - p,
                        ci[0],
                        ci[1],
                        settings.confidence(),
                        n,
                        pValue,
                        method);
        boolean intervalClears = ci[0] > settings.minDelta();
        boolean significant = Double.isNaN(pValue) || pValue < alpha / 2;
        List<String> forgotten =
                intervalClears && significant
                        ? forgotten(candidate, production, n, alpha, classes)
                        : List.of();
        if (!forgotten.isEmpty()) {
            return new Decision(
                    false,
                    Verdict.FORGETS_CLASS,
                    String.format(
                            Locale.ROOT,
                            "better than production overall (%s) but forgets %s: worse by more"
                                    + " than %.2f with %.0f%% confidence"
                                    + " (trainer.gate.class.max.drop)",
                            e.describe(),
                            String.join(", ", forgotten),
                            settings.maxClassDrop(),
                            settings.confidence() * 100),
                    e);
        }
        if (intervalClears && significant) {
            return new Decision(
                    true,
                    null,
                    String.format(
                            Locale.ROOT,
                            "better than production: %s, lower bound %.4f > min delta %.4f",
                            e.describe(),
                            ci[0],
                            settings.minDelta()),
                    e);
        }
        Verdict verdict = ci[1] < 0 ? Verdict.WORSE : Verdict.NOT_SIGNIFICANT;
        String why =
                verdict == Verdict.WORSE
                        ? "worse than production"
                        : !intervalClears
                                ? String.format(
                                        Locale.ROOT,
                                        "not better than production by more than min delta %.4f"
                                                + " with %.0f%% confidence",
                                        settings.minDelta(),
                                        settings.confidence() * 100)
                                : "not significantly better than production (McNemar)";
        return new Decision(false, verdict, why + ": " + e.describe(), e);
    }

    /**
     * The classes on which the candidate is confidently worse than production by more than {@code
     * maxClassDrop}, each with production's and the candidate's metric and the interval's upper
     * end; empty when none, or when the scores know no classes.
     */
    private List<String> forgotten(
            SampleScores candidate,
            SampleScores production,
            int n,
            double alpha,
            List<String> classes) {
        if (settings.maxClassDrop() >= 1) {
            return List.of();
        }
        Map<Integer, Double> prodAll = production.perClass(null);
        Map<Integer, Double> candAll = candidate.perClass(null);
        if (prodAll.isEmpty() || candAll.isEmpty()) {
            return List.of();
        }
        Map<Integer, double[]> diffs = new TreeMap<>();
        Map<Integer, Integer> kept = new TreeMap<>();
        for (Integer k : prodAll.keySet()) {
            diffs.put(k, new double[settings.resamples()]);
            kept.put(k, 0);
        }
        SplittableRandom random = new SplittableRandom(SEED ^ 0xc1a55L);
        int[] sample = new int[n];
        for (int r = 0; r < settings.resamples(); r++) {
            for (int k = 0; k < n; k++) {
                sample[k] = random.nextInt(n);
            }
            Map<Integer, Double> c = candidate.perClass(sample);
            Map<Integer, Double> p = production.perClass(sample);
            for (Map.Entry<Integer, double[]> d : diffs.entrySet()) {
                Double a = c.get(d.getKey());
                Double b = p.get(d.getKey());
                if (a != null && b != null && Double.isFinite(a) && Double.isFinite(b)) {
                    int i = kept.get(d.getKey());
                    d.getValue()[i] = a - b;
                    kept.put(d.getKey(), i + 1);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<Integer, double[]> d : diffs.entrySet()) {
            int k = d.getKey();
            double[] ci = percentiles(Arrays.copyOf(d.getValue(), kept.get(k)), alpha);
            Double cand = candAll.get(k);
            if (cand != null && ci[1] < -settings.maxClassDrop()) {
                out.add(
                        String.format(
                                Locale.ROOT,
                                "'%s' (%.3f -> %.3f, change at most %.3f)",
                                k < classes.size() ? classes.get(k) : "class " + k,
                                prodAll.get(k),
                                cand,
                                ci[1]));
            }
        }
        return out;
    }

    private Decision notEnough(String metricName, double c, double p, int n, String why) {
        GateEvidence e =
                new GateEvidence(
                        metricName,
                        c,
                        p,
                        Double.isNaN(p) ? Double.NaN : c - p,
                        Double.NaN,
                        Double.NaN,
                        settings.confidence(),
                        n,
                        Double.NaN,
                        "not measured: too few samples");
        return new Decision(
                false, Verdict.NOT_ENOUGH_EVIDENCE, "not enough evidence to judge: " + why, e);
    }

    /**
     * Bootstrap replicates: of {@code a}'s metric, or of {@code a - b} on the same resamples when
     * {@code b} is given. Replicates whose resample has nothing to score are dropped.
     */
    private double[] bootstrap(SampleScores a, SampleScores b, int n) {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] out = new double[settings.resamples()];
        int kept = 0;
        int[] sample = new int[n];
        for (int r = 0; r < settings.resamples(); r++) {
            for (int k = 0; k < n; k++) {
                sample[k] = random.nextInt(n);
            }
            double v = a.metric(sample);
            if (b != null) {
                v -= b.metric(sample);
            }
            if (Double.isFinite(v)) {
                out[kept++] = v;
            }
        }
        return Arrays.copyOf(out, kept);
    }

    /** The two-sided percentile interval; [NaN, NaN] when there are no replicates. */
    static double[] percentiles(double[] values, double alpha) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new double[] {quantile(v, alpha / 2), quantile(v, 1 - alpha / 2)};
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Exact two-sided Clopper-Pearson interval of a proportion {@code k / n}. */
    static double[] clopperPearson(int k, int n, double alpha) {
        double lo =
                k == 0
                        ? 0
                        : new BetaDistribution(null, k, n - k + 1)
                                .inverseCumulativeProbability(alpha / 2);
        double hi =
                k == n
                        ? 1
                        : new BetaDistribution(null, k + 1, n - k)
                                .inverseCumulativeProbability(1 - alpha / 2);
        return new double[] {lo, hi};
    }

    /**
     * P(X >= better) for X ~ Binomial(better + worse, 1/2): the chance of the candidate winning at
     * least this many of the discordant pairs if it were no better than production.
     */
    static double mcNemarOneSided(int better, int worse) {
        int n = better + worse;
        if (n == 0 || better == 0) {
            return 1;
        }
        return 1 - new BinomialDistribution(null, n, 0.5).cumulativeProbability(better - 1);
    }
}
