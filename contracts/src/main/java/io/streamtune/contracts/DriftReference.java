package io.streamtune.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param embedding the distribution of the model's embedding summary on those images, absent when
 *     the model has no {@link ModelMetadataKeys#EMBEDDING_OUTPUT} (or too few images had one)
 */
public record DriftReference(
        int samples,
        List<Double> confidence,
        Map<String, Double> classes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Embedding embedding) {

    /** A reference without an embedding distribution. */
    public DriftReference(int samples, List<Double> confidence, Map<String, Double> classes) {
        this(samples, confidence, classes, null);
    }

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
     * The reference distribution of a model's embedding summary, one histogram per dimension: the
     * inner edges of {@link #BINS} bins that split the reference images into (about) equal shares,
     * and the share each bin holds. Equal-share bins make every bin informative whatever the scale
     * of the features; a live window counts its embeddings into the same bins.
     *
     * @param edges per dimension, {@code BINS - 1} non-decreasing inner edges
     * @param shares per dimension, the share of reference images in each of the {@code BINS} bins
     */
    public record Embedding(List<List<Double>> edges, List<List<Double>> shares) {

        /** Most dimensions an embedding summary may have. */
        public static final int MAX_DIMENSIONS = 64;

        /** Fewest reference images an embedding distribution is built from. */
        public static final int MIN_SAMPLES = 2 * BINS;

        public Embedding {
            Objects.requireNonNull(edges, "edges");
            Objects.requireNonNull(shares, "shares");
            if (edges.isEmpty() || edges.size() > MAX_DIMENSIONS || edges.size() != shares.size()) {
                throw new IllegalArgumentException(
                        "embedding needs 1 to "
                                + MAX_DIMENSIONS
                                + " dimensions, as many edge lists as share lists");
            }
            List<List<Double>> e = new ArrayList<>();
            List<List<Double>> sh = new ArrayList<>();
            for (int d = 0; d < edges.size(); d++) {
                List<Double> de = List.copyOf(edges.get(d));
                List<Double> ds = List.copyOf(shares.get(d));
                if (de.size() != BINS - 1 || ds.size() != BINS) {
                    throw new IllegalArgumentException(
                            "embedding dimension "
                                    + d
                                    + " needs "
                                    + (BINS - 1)
                                    + " edges and "
                                    + BINS
                                    + " shares");
                }
                for (double v : ds) {
                    if (!(v >= 0 && v <= 1)) {
                        throw new IllegalArgumentException(
                                "embedding dimension " + d + ": shares must be in [0, 1]");
                    }
                }
                if (!Double.isFinite(de.get(0))) {
                    throw new IllegalArgumentException(
                            "embedding dimension " + d + ": edges must be finite");
                }
                for (int i = 1; i < de.size(); i++) {
                    if (!(de.get(i) >= de.get(i - 1)) || !Double.isFinite(de.get(i))) {
                        throw new IllegalArgumentException(
                                "embedding dimension "
                                        + d
                                        + ": edges must be finite and non-decreasing");
                    }
                }
                e.add(de);
                sh.add(ds);
            }
            edges = List.copyOf(e);
            shares = List.copyOf(sh);
        }

        /** Dimensions of the embedding. */
        public int dimensions() {
            return edges.size();
        }

        /** The bin of {@code value} in dimension {@code d}: how many inner edges are <= it. */
        public int bin(int d, double value) {
            List<Double> e = edges.get(d);
            if (Double.isNaN(value)) {
                return 0;
            }
            int lo = 0;
            int hi = e.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (e.get(mid) <= value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /**
         * The share of {@code embedding}'s dimensions that fall in an outer bin (the lowest or the
         * highest tenth of the reference images); NaN when its size is not this reference's. About
         * 0.2 per dimension for images like the reference's.
         */
        public double novelty(List<Float> embedding) {
            if (embedding == null || embedding.size() != dimensions()) {
                return Double.NaN;
            }
            int outer = 0;
            for (int d = 0; d < embedding.size(); d++) {
                int b = bin(d, embedding.get(d));
                outer += b == 0 || b == BINS - 1 ? 1 : 0;
            }
            return (double) outer / embedding.size();
        }

        /**
         * The distribution of a set of embeddings (all of one size), or null when fewer than {@link
         * #MIN_SAMPLES} are given.
         */
        public static Embedding of(List<float[]> embeddings) {
            if (embeddings.size() < MIN_SAMPLES) {
                return null;
            }
            int dims = embeddings.get(0).length;
            for (float[] x : embeddings) {
                if (x.length != dims) {
                    throw new IllegalArgumentException(
                            "embeddings of different sizes: " + dims + " and " + x.length);
                }
            }
            int n = embeddings.size();
            List<List<Double>> edges = new ArrayList<>();
            for (int d = 0; d < dims; d++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = embeddings.get(i)[d];
                }
                java.util.Arrays.sort(v);
                List<Double> de = new ArrayList<>();
                for (int b = 1; b < BINS; b++) {
                    int at = (int) ((long) b * n / BINS);
                    de.add((v[at - 1] + v[at]) / 2);
                }
                edges.add(de);
            }
            List<List<Double>> shares = new ArrayList<>();
            Embedding counting = new Embedding(edges, zeros(dims));
            for (int d = 0; d < dims; d++) {
                double[] c = new double[BINS];
                for (float[] x : embeddings) {
                    c[counting.bin(d, x[d])]++;
                }
                List<Double> ds = new ArrayList<>();
                for (double b : c) {
                    ds.add(b / n);
                }
                shares.add(ds);
            }
            return new Embedding(edges, shares);
        }

        private static List<List<Double>> zeros(int dims) {
            List<List<Double>> out = new ArrayList<>();
            for (int d = 0; d < dims; d++) {
                out.add(java.util.Collections.nCopies(BINS, 0.0));
            }
            return out;
        }
    }

    /**
     * One prediction as drift statistics see it.
     *
     * @param topClass the most confident class ({@link #NONE} when nothing was detected)
     * @param confidence its confidence (0 when nothing was detected)
     * @param embedding the model's embedding summary of the frame, absent when it has none
     */
    public record Observation(
            String topClass,
            double confidence,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Float> embedding) {

        /** An observation without an embedding. */
        public Observation(String topClass, double confidence) {
            this(topClass, confidence, null);
        }

        public Observation {
            Objects.requireNonNull(topClass, "topClass");
            embedding = embedding == null ? null : List.copyOf(embedding);
        }

        /** The top-1 class of a classification. */
        public static Observation of(ClassificationsEmitted c) {
            List<Float> e = c.frame().embedding();
            return c.top().isEmpty()
                    ? new Observation(NONE, 0, e)
                    : new Observation(c.top().get(0).label(), c.top().get(0).probability(), e);
        }

        /** The highest-scoring detection, or none. */
        public static Observation of(DetectionsEmitted d) {
            DetectionsEmitted.Detection best = null;
            for (DetectionsEmitted.Detection x : d.detections()) {
                if (best == null || x.score() > best.score()) {
                    best = x;
                }
            }
            List<Float> e = d.frame().embedding();
            return best == null
                    ? new Observation(NONE, 0, e)
                    : new Observation(best.label(), best.score(), e);
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
            List<Float> e = s.frame().embedding();
            return best == null || total == 0
                    ? new Observation(NONE, 0, e)
                    : new Observation(best.label(), (double) best.pixels() / total, e);
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
        return new DriftReference(n, confidence, classes, embeddingOf(observations));
    }

    /**
     * The embedding distribution of observations that all carry an embedding of one size; null
     * otherwise or when too few do.
     */
    private static Embedding embeddingOf(List<Observation> observations) {
        List<float[]> xs = new ArrayList<>();
        for (Observation o : observations) {
            if (o.embedding() == null
                    || (!xs.isEmpty() && xs.get(0).length != o.embedding().size())) {
                return null;
            }
            float[] x = new float[o.embedding().size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = o.embedding().get(i);
            }
            xs.add(x);
        }
        return Embedding.of(xs);
    }
}
