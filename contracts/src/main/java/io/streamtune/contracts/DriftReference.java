package io.streamtune.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a model version's predictions look like on data it was judged on (its gate split), for
 * comparing with the live stream: the distribution of each frame's top confidence over {@link
 * #BINS} equal bins of [0, 1] and the share of each top class. Stored with the version ({@link
 * Lineage#drift()}); the live side reduces every prediction to the same {@link Observation}.
 *
 * @param samples gate images the shares were counted on
 * @param confidence share of images per confidence bin ({@link #BINS} values summing to 1)
 * @param classes share of images per top class ({@link #NONE} when a detector found nothing)
 */
public record DriftReference(int samples, List<Double> confidence, Map<String, Double> classes) {

    /** Confidence bins. */
    public static final int BINS = 10;

    /** The class of a frame without any detection. */
    public static final String NONE = "(none)";

    public DriftReference {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, was " + samples);
        }
        confidence = List.copyOf(Objects.requireNonNull(confidence, "confidence"));
        if (confidence.size() != BINS) {
            throw new IllegalArgumentException(
                    "confidence needs " + BINS + " bins, had " + confidence.size());
        }
        classes = Map.copyOf(new TreeMap<>(Objects.requireNonNull(classes, "classes")));
    }

    /**
     * One prediction as drift statistics see it.
     *
     * @param topClass the most confident class ({@link #NONE} when nothing was detected)
     * @param confidence its confidence (0 when nothing was detected)
     */
    public record Observation(String topClass, double confidence) {

        public Observation {
            Objects.requireNonNull(topClass, "topClass");
        }

        /** The top-1 class of a classification. */
        public static Observation of(ClassificationsEmitted c) {
            return c.top().isEmpty()
                    ? new Observation(NONE, 0)
                    : new Observation(c.top().get(0).label(), c.top().get(0).probability());
        }

        /** The highest-scoring detection, or none. */
        public static Observation of(DetectionsEmitted d) {
            DetectionsEmitted.Detection best = null;
            for (DetectionsEmitted.Detection x : d.detections()) {
                if (best == null || x.score() > best.score()) {
                    best = x;
                }
            }
            return best == null
                    ? new Observation(NONE, 0)
                    : new Observation(best.label(), best.score());
        }

        /** The class covering most pixels and its share of the frame. */
        public static Observation of(SegmentationsEmitted s) {
            long total = 0;
            SegmentationsEmitted.ClassArea best = null;
            for (SegmentationsEmitted.ClassArea a : s.classAreas()) {
                total += a.pixels();
                if (best == null || a.pixels() > best.pixels()) {
                    best = a;
                }
            }
            return best == null || total == 0
                    ? new Observation(NONE, 0)
                    : new Observation(best.label(), (double) best.pixels() / total);
        }
    }

    /** The bin of a confidence in [0, 1]; out-of-range values are clamped. */
    public static int bin(double confidence) {
        if (!(confidence > 0)) {
            return 0;
        }
        return Math.min(BINS - 1, (int) (confidence * BINS));
    }

    /** The reference of a set of observations. */
    public static DriftReference of(List<Observation> observations) {
        if (observations.isEmpty()) {
            throw new IllegalArgumentException("no observations");
        }
        double[] bins = new double[BINS];
        Map<String, Double> classes = new TreeMap<>();
        for (Observation o : observations) {
            bins[bin(o.confidence())]++;
            classes.merge(o.topClass(), 1.0, Double::sum);
        }
        int n = observations.size();
        List<Double> confidence = new ArrayList<>(BINS);
        for (double b : bins) {
            confidence.add(b / n);
        }
        classes.replaceAll((k, v) -> v / n);
        return new DriftReference(n, confidence, classes);
    }
}
