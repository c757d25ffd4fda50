package io.streamtune.inference.labelling;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Decides which production frames go to the labellers, and keeps them from being flooded. The
 * strategies, tried in this order: {@code low_confidence} (the top score, or for detections any
 * object's score, inside a band — the model saw something and is unsure), {@code small_margin}
 * (classification: top two probabilities closer than a bound), {@code rare_class} (a class this
 * model predicts for under a share of frames, once enough frames were seen), {@code novel} (the
 * frame's embedding summary lies outside the central 80 % of the version's gate images in at least
 * a share of its dimensions: unlike what the model was trained and judged on, however confident it
 * is), {@code random} (a baseline share of all frames, for an unbiased sample). Caps per minute,
 * hour and day, and per camera per hour, bound what is sent — over any such span (sliding windows,
 * so no burst at a clock boundary), per sampler (one per model and instance); a camera that was
 * just asked waits a pause before its next request, so a scene held for seconds is not sent as a
 * burst of views; a frame id is never requested twice (the last {@code remembered} ids are kept).
 * Thread-safe: the pipeline and the shadow worker call it.
 */
public final class LabellingSampler {

    /** Why a frame was picked; the wire value is {@link #tag()}. */
    public enum Reason {
        LOW_CONFIDENCE,
        SMALL_MARGIN,
        RARE_CLASS,
        RANDOM,
        /** production and the candidate in shadow disagree on the frame */
        DISAGREEMENT,
        /** the frame's embedding summary is unlike the version's gate images */
        NOVEL;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The strategies and caps.
     *
     * @param confidenceMin lower end of the low-confidence band (scores under it are background)
     * @param confidenceMax upper end of the band (0 turns the strategy off)
     * @param marginMax top-two margin under which a classification is picked (0: off)
     * @param rareShare share of frames under which a predicted class counts as rare (0: off)
     * @param rareAfter frames a model must have predicted before any class counts as rare
     * @param randomShare share of all frames picked at random (0: off)
     * @param perMinute most requests per minute
     * @param perHour most requests per hour
     * @param perDay most requests per day
     * @param perCameraPerHour most requests per camera per hour
     * @param remembered frame ids remembered to never request one twice
     * @param disagreementMax agreement between production and the candidate in shadow (top-1, box
     *     F1, pixel agreement) under which a shadowed frame is picked (0: off)
     * @param noveltyMin share of embedding dimensions outside the reference's central bins at which
     *     a frame is picked as novel (0: off)
     * @param duplicateDistance a picked frame is passed over when it is this close to one of the
     *     last frames requested from its camera: relative distance of their embedding summaries
     *     (else of their scores, with the same classes); a camera showing one view for seconds
     *     sends it once (0: off)
     * @param cameraPauseMs after a request from a camera, milliseconds before the next one from it
     *     (0: none)
     */
    public record Settings(
            double confidenceMin,
            double confidenceMax,
            double marginMax,
            double rareShare,
            int rareAfter,
            double randomShare,
            int perMinute,
            int perHour,
            int perDay,
            int perCameraPerHour,
            int remembered,
            double disagreementMax,
            double noveltyMin,
            double duplicateDistance,
            long cameraPauseMs) {

        public Settings {
            if (!(disagreementMax >= 0 && disagreementMax <= 1)) {
                throw new IllegalArgumentException("disagreement max must be in [0, 1]");
            }
            if (!(noveltyMin >= 0 && noveltyMin <= 1)) {
                throw new IllegalArgumentException("novelty min must be in [0, 1]");
            }
            if (!(duplicateDistance >= 0 && duplicateDistance <= 1)) {
                throw new IllegalArgumentException("duplicate distance must be in [0, 1]");
            }
            if (!(confidenceMin >= 0 && confidenceMin <= confidenceMax && confidenceMax <= 1)) {
                throw new IllegalArgumentException(
                        "need 0 <= confidence min <= max <= 1, have "
                                + confidenceMin
                                + ", "
                                + confidenceMax);
            }
            if (marginMax < 0 || marginMax > 1 || rareShare < 0 || rareShare > 1) {
                throw new IllegalArgumentException("margin and rare share must be in [0, 1]");
            }
            if (randomShare < 0 || randomShare > 1) {
                throw new IllegalArgumentException("random share must be in [0, 1]");
            }
            if (perMinute < 0 || perHour < 0 || perDay < 0 || perCameraPerHour < 0) {
                throw new IllegalArgumentException("caps must be >= 0");
            }
            if (cameraPauseMs < 0) {
                throw new IllegalArgumentException("camera pause must be >= 0");
            }
            if (remembered < 1 || rareAfter < 1) {
                throw new IllegalArgumentException("remembered and rare-after must be >= 1");
            }
        }

        /**
         * The defaults: every strategy on (novel: 6 of 8 embedding dimensions outside the central
         * 80 %), at most 10 a minute, 120 an hour, 1000 a day, 30 per camera an hour and one per
         * camera every 20 s, near-duplicates (within 5 %) of a camera's last requests passed over.
         */
        public static Settings defaults() {
            return new Settings(
                    0.3, 0.6, 0.15, 0.02, 500, 0.001, 10, 120, 1000, 30, 100_000, 0.5, 0.75, 0.05,
                    20_000);
        }
    }

    /**
     * What the model said about one frame.
     *
     * @param scores the scores that express confidence: class probabilities best first for
     *     classification, every object's score for detection, empty for segmentation
     * @param margins whether {@code scores} are class probabilities (so their top-two margin means
     *     something)
     * @param classes the classes predicted in the frame (the top class, or each object's, or each
     *     segment's)
     * @param novelty share of the frame's embedding dimensions outside the reference's central bins
     *     (NaN: the model has no embedding or its version no reference)
     * @param embedding the frame's embedding summary, null when the model has none
     */
    public record Prediction(
            List<Double> scores,
            boolean margins,
            List<String> classes,
            double novelty,
            List<Float> embedding) {

        /** A prediction without a novelty measure or an embedding. */
        public Prediction(List<Double> scores, boolean margins, List<String> classes) {
            this(scores, margins, classes, Double.NaN, null);
        }

        public Prediction {
            scores = List.copyOf(scores);
            classes = List.copyOf(classes);
            embedding = embedding == null ? null : List.copyOf(embedding);
        }

        /** What near-duplicates are told apart by: the embedding, else the scores. */
        float[] signature() {
            List<? extends Number> v =
                    embedding != null && !embedding.isEmpty() ? embedding : scores;
            float[] out = new float[v.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i).floatValue();
            }
            return out;
        }
    }

    /** The last requests of one camera, for passing over near-duplicates. */
    private record Requested(float[] signature, List<String> classes) {}

    private static final int RECENT_PER_CAMERA = 16;

    /** A decision: why, and the score that decided it (NaN when none did). */
    public record Pick(Reason reason, double score) {}

    private final Settings settings;
    private final Clock clock;
    private final Random random;
    private final Map<String, Boolean> seen;
    private final Map<String, Long> classCounts = new HashMap<>();
    private long predictions;
    private final Window minute = new Window(60_000);
    private final Window hour = new Window(3_600_000);
    private final Window day = new Window(86_400_000);
    private final Map<String, Window> cameras;
    private final Map<String, java.util.ArrayDeque<Requested>> recent;
    private final Map<String, Long> lastRequest;
    private long capped;
    private long paused;
    private long duplicates;

    public LabellingSampler(Settings settings, Clock clock, long seed) {
        this.settings = settings;
        this.clock = clock;
        this.random = new Random(seed);
        int remembered = settings.remembered();
        this.seen =
                new LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > remembered;
                    }
                };
        this.cameras =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                        return size() > 10_000;
                    }
                };
        this.lastRequest =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                        return size() > 10_000;
                    }
                };
        this.recent =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(
                            Map.Entry<String, java.util.ArrayDeque<Requested>> eldest) {
                        return size() > 10_000;
                    }
                };
    }

    /**
     * Whether to request labelling of this frame, and why; counts the frame's classes either way.
     */
    public synchronized Optional<Pick> decide(String frameId, String camera, Prediction p) {
        boolean enoughSeen = predictions >= settings.rareAfter();
        Optional<Pick> pick = strategy(p, enoughSeen);
        predictions++;
        for (String c : p.classes()) {
            classCounts.merge(c, 1L, Long::sum);
        }
        if (classCounts.size() > 10_000) {
            classCounts.clear(); // attacker-sized class lists: start counting again
        }
        return admit(frameId, camera, pick, p);
    }

    /**
     * Whether to request labelling of a frame the candidate in shadow ran on, by how much it and
     * production agreed on it; the same caps and the same never-twice rule as {@link #decide}.
     * Called from the shadow worker.
     */
    public synchronized Optional<Pick> decideDisagreement(
            String frameId, String camera, double agreement) {
        Optional<Pick> pick =
                settings.disagreementMax() > 0
                                && Double.isFinite(agreement)
                                && agreement < settings.disagreementMax()
                        ? Optional.of(new Pick(Reason.DISAGREEMENT, agreement))
                        : Optional.empty();
        return admit(frameId, camera, pick, null);
    }

    private Optional<Pick> admit(
            String frameId, String camera, Optional<Pick> pick, Prediction prediction) {
        if (pick.isEmpty() || seen.containsKey(frameId)) {
            return Optional.empty();
        }
        Requested signature =
                prediction == null || settings.duplicateDistance() <= 0
                        ? null
                        : new Requested(prediction.signature(), prediction.classes());
        if (signature != null && nearDuplicate(camera, signature)) {
            duplicates++;
            return Optional.empty();
        }
        long now = clock.millis();
        Long previous = lastRequest.get(camera);
        if (previous != null && now - previous < settings.cameraPauseMs()) {
            paused++;
            return Optional.empty();
        }
        Window cam = cameras.computeIfAbsent(camera, k -> new Window(3_600_000));
        if (!minute.admits(now, settings.perMinute())
                || !hour.admits(now, settings.perHour())
                || !day.admits(now, settings.perDay())
                || !cam.admits(now, settings.perCameraPerHour())) {
            capped++;
            return Optional.empty();
        }
        minute.take(now);
        hour.take(now);
        day.take(now);
        cam.take(now);
        lastRequest.put(camera, now);
        seen.put(frameId, Boolean.TRUE);
        if (signature != null) {
            java.util.ArrayDeque<Requested> last =
                    recent.computeIfAbsent(camera, k -> new java.util.ArrayDeque<>());
            if (last.size() >= RECENT_PER_CAMERA) {
                last.removeFirst();
            }
            last.addLast(signature);
        }
        return pick;
    }

    private boolean nearDuplicate(String camera, Requested candidate) {
        java.util.ArrayDeque<Requested> last = recent.get(camera);
        if (last == null || candidate.signature().length == 0) {
            return false;
        }
        for (Requested r : last) {
            if (r.classes().equals(candidate.classes())
                    && r.signature().length == candidate.signature().length
                    && relativeDistance(r.signature(), candidate.signature())
                            < settings.duplicateDistance()) {
                return true;
            }
        }
        return false;
    }

    /** {@code |a - b| / max(|a|, |b|)}; 0 for two zero vectors. */
    static double relativeDistance(float[] a, float[] b) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] - b[i];
            d += x * x;
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        double scale = Math.sqrt(Math.max(na, nb));
        return scale == 0 ? 0 : Math.sqrt(d) / scale;
    }

    /** Frames a strategy picked that were passed over as near-duplicates of a recent request. */
    public synchronized long duplicates() {
        return duplicates;
    }

    /** Frames a strategy picked while their camera's pause after its last request ran. */
    public synchronized long paused() {
        return paused;
    }

    /** Frames a strategy picked but a cap held back, since start. */
    public synchronized long capped() {
        return capped;
    }

    private Optional<Pick> strategy(Prediction p, boolean enoughSeen) {
        if (settings.confidenceMax() > 0) {
            for (double s :
                    p.margins()
                            ? p.scores().subList(0, Math.min(1, p.scores().size()))
                            : p.scores()) {
                if (s >= settings.confidenceMin() && s <= settings.confidenceMax()) {
                    return Optional.of(new Pick(Reason.LOW_CONFIDENCE, s));
                }
            }
        }
        if (settings.marginMax() > 0 && p.margins() && p.scores().size() >= 2) {
            double margin = p.scores().get(0) - p.scores().get(1);
            if (margin < settings.marginMax()) {
                return Optional.of(new Pick(Reason.SMALL_MARGIN, margin));
            }
        }
        if (settings.noveltyMin() > 0
                && Double.isFinite(p.novelty())
                && p.novelty() >= settings.noveltyMin()) {
            return Optional.of(new Pick(Reason.NOVEL, p.novelty()));
        }
        if (settings.rareShare() > 0 && enoughSeen) {
            for (String c : p.classes()) {
                long n = classCounts.getOrDefault(c, 0L);
                if (n < settings.rareShare() * predictions) {
                    return Optional.of(new Pick(Reason.RARE_CLASS, (double) n / predictions));
                }
            }
        }
        if (settings.randomShare() > 0 && random.nextDouble() < settings.randomShare()) {
            return Optional.of(new Pick(Reason.RANDOM, Double.NaN));
        }
        return Optional.empty();
    }

    /**
     * A sliding window of {@code lengthMs}: the times of what was taken in the last {@code
     * lengthMs} (never more than the cap, so its memory is bounded by it).
     */
    private static final class Window {
        private final long lengthMs;
        private final java.util.ArrayDeque<Long> taken = new java.util.ArrayDeque<>();

        Window(long lengthMs) {
            this.lengthMs = lengthMs;
        }

        boolean admits(long now, int cap) {
            while (!taken.isEmpty() && now - taken.peekFirst() >= lengthMs) {
                taken.removeFirst();
            }
            return taken.size() < cap;
        }

        void take(long now) {
            taken.addLast(now);
        }
    }
}
