package io.streamtune.trainer.publish;

import io.streamtune.contracts.LiveReport;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.ModelRejected;
import io.streamtune.contracts.Promotion;
import io.streamtune.contracts.ShadowEvidence;
import io.streamtune.contracts.Topic;
import io.streamtune.runtime.PollLoop;
import io.streamtune.trainer.TrainerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout policy, on its own thread: follows the candidates, the production announcements and
 * the inference instances' live reports, and decides.
 *
 * <ul>
 *   <li>A candidate in shadow is <b>promoted</b> once the instances together ran it on {@code
 *       shadowFrames} frames beside the production version it was gated against, with a failure
 *       rate no worse than production's plus {@code maxShadowFailureRate} and a mean agreement with
 *       production of at least {@code minAgreement}; otherwise it is <b>rejected</b> ({@code
 *       SHADOW_REGRESSION}) with the live numbers. Either way its candidate record is deleted.
 *   <li>The production version is <b>rolled back</b> automatically when, over at least {@code
 *       rollbackMinFrames} live frames since its promotion, its failure rate exceeds {@code
 *       rollbackMaxFailureRate} or its mean confidence moved more than {@code
 *       rollbackMaxConfidenceShift} from its shadow phase.
 * </ul>
 *
 * Live reports are cumulative per instance, so the latest per instance and version is summed.
 */
public final class Rollout implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Rollout.class);

    /**
     * The policy's thresholds.
     *
     * @param shadowFrames shadow frames before a decision; 0 disables shadow serving (the gate
     *     publishes directly)
     * @param minAgreement least mean agreement with production
     * @param maxShadowFailureRate how much more often than production a candidate may fail
     * @param autoRollback whether production is rolled back automatically
     * @param rollbackMinFrames live frames before production is judged
     * @param rollbackMaxFailureRate failure rate that rolls production back
     * @param rollbackMaxConfidenceShift mean-confidence change vs the shadow phase that rolls it
     *     back
     */
    public record Settings(
            int shadowFrames,
            double minAgreement,
            double maxShadowFailureRate,
            boolean autoRollback,
            int rollbackMinFrames,
            double rollbackMaxFailureRate,
            double rollbackMaxConfidenceShift) {}

    /** The topics it reads and writes, prefix applied. */
    public record Topics(
            Topic<String, ModelPublished> candidates,
            Topic<String, ModelPublished> published,
            Topic<String, LiveReport> live,
            Topic<String, ModelRejected> rejected) {

        /** Each resolved by {@code kafka} (its prefix). */
        public static Topics of(io.streamtune.runtime.KafkaSettings kafka) {
            return new Topics(
                    kafka.topic(io.streamtune.contracts.Topics.MODELS_CANDIDATES),
                    kafka.topic(io.streamtune.contracts.Topics.MODELS_PUBLISHED),
                    kafka.topic(io.streamtune.contracts.Topics.MODELS_LIVE),
                    kafka.topic(io.streamtune.contracts.Topics.MODELS_REJECTED));
        }
    }

    private final Settings settings;
    private final Topics topics;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Rollback rollback;
    private final ModelRegistry registry;
    private final TrainerMetrics metrics;
    private final Clock clock;
    private final PollLoop loop;
    private final Map<String, ModelPublished> candidates = new HashMap<>();
    private final Map<String, ModelPublished> production = new HashMap<>();
    private final Map<String, LiveReport> reports = new HashMap<>();
    private final Set<String> decided = new HashSet<>();
    private final Map<String, Superseded> superseded = new java.util.LinkedHashMap<>();

    /** A candidate replaced in shadow by version {@code by} before it was decided. */
    private record Superseded(ModelPublished candidate, int by) {}

    private final Duration sendTimeout;
    private Instant retryAt = Instant.MIN;

    /** How long after a decision Kafka did not take the policy decides again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** A decision Kafka did not acknowledge; nothing after the failed write was done. */
    private static final class NotWritten extends RuntimeException {
        NotWritten(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * {@code sendTimeout}: how long Kafka has to acknowledge each decision; one it does not take is
     * made again {@link #RETRY_AFTER} later, and the policy goes on.
     */
    public Rollout(
            Settings settings,
            Topics topics,
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            Rollback rollback,
            ModelRegistry registry,
            TrainerMetrics metrics,
            Clock clock,
            Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
        this.settings = settings;
        this.topics = topics;
        this.consumer = consumer;
        this.producer = producer;
        this.rollback = rollback;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.loop =
                PollLoop.over("rollout", consumer, Duration.ofSeconds(2), this::open, this::turn)
                        .daemon()
                        .onFailureSays("candidates stay in shadow, no automatic rollback");
    }

    /** Starts the policy thread. */
    public Rollout start() {
        loop.start();
        return this;
    }

    /** Whether the policy thread runs and has not failed. */
    public boolean isAlive() {
        return loop.healthy();
    }

    /** Assigns every partition of the three topics it follows and reads them from the start. */
    void open() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t :
                List.of(
                        topics.candidates().name(),
                        topics.published().name(),
                        topics.live().name())) {
            while (loop.running()) {
                var infos = consumer.partitionsFor(t, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    infos.forEach(p -> parts.add(new TopicPartition(t, p.partition())));
                    break;
                }
            }
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** One poll, then the decisions it allows. */
    void turn() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            take(r);
        }
        decide();
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String model = new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (r.topic().equals(topics.candidates().name())) {
                if (r.value() == null) {
                    candidates.remove(model);
                } else {
                    ModelPublished next = topics.candidates().value(r.value());
                    ModelPublished previous = candidates.put(model, next);
                    if (previous != null
                            && previous.version() != next.version()
                            && !decided.contains(previous.model() + "/v" + previous.version())) {
                        superseded.put(
                                previous.model() + "/v" + previous.version(),
                                new Superseded(previous, next.version()));
                    }
                }
            } else if (r.topic().equals(topics.published().name())) {
                if (r.value() != null) {
                    production.put(model, topics.published().value(r.value()));
                }
            } else if (r.value() != null) {
                LiveReport report = topics.live().value(r.value());
                reports.put(
                        report.model()
                                + "/"
                                + report.version()
                                + "/"
                                + report.role()
                                + "/"
                                + report.productionVersion()
                                + "/"
                                + report.instance()
                                + "/"
                                + report.since(),
                        report);
            }
        } catch (RuntimeException e) {
            log.debug("skipping unreadable record {}-{}@{}", r.topic(), r.partition(), r.offset());
        }
    }

    /** Sums the latest reports matching a version, role and (shadow) production version. */
    private record Totals(
            long frames,
            long failures,
            double confidenceSum,
            long confidenceCount,
            long compared,
            double agreementSum,
            long productionFailures,
            double productionConfidenceSum,
            int instances) {

        double failureRate() {
            return frames == 0 ? 0 : (double) failures / frames;
        }

        double meanConfidence() {
            return confidenceCount == 0 ? Double.NaN : confidenceSum / confidenceCount;
        }
    }

    private Totals totals(
            String model,
            int version,
            LiveReport.Role role,
            Integer productionVersion,
            Instant notBefore) {
        long frames = 0, failures = 0, count = 0, compared = 0, prodFailures = 0;
        double conf = 0, agreement = 0, prodConf = 0;
        Set<String> instances = new HashSet<>();
        for (LiveReport r : reports.values()) {
            if (!r.model().equals(model)
                    || r.version() != version
                    || r.role() != role
                    || (productionVersion != null
                            && !productionVersion.equals(r.productionVersion()))
                    || (notBefore != null && r.since().isBefore(notBefore))) {
                continue;
            }
            frames += r.frames();
            failures += r.failures();
            conf += r.confidenceSum();
            count += r.confidenceCount();
            compared += r.compared();
            agreement += r.agreementSum();
            prodFailures += r.productionFailures();
            prodConf += r.productionConfidenceSum();
            instances.add(r.instance());
        }
        return new Totals(
                frames,
                failures,
                conf,
                count,
                compared,
                agreement,
                prodFailures,
                prodConf,
                instances.size());
    }

    private void decide() {
        if (clock.instant().isBefore(retryAt)) {
            return;
        }
        for (var e : List.copyOf(superseded.entrySet())) {
            ModelPublished previous = e.getValue().candidate();
            try {
                if (decided.add(e.getKey())) {
                    verdict(
                            previous,
                            ModelRejected.Verdict.SUPERSEDED,
                            "v" + e.getValue().by() + " replaced it in shadow before a decision");
                }
                superseded.remove(e.getKey());
            } catch (NotWritten failure) {
                decided.remove(e.getKey());
                retry(previous, failure);
                return;
            }
        }
        for (ModelPublished c : List.copyOf(candidates.values())) {
            String key = c.model() + "/v" + c.version();
            if (decided.contains(key)) {
                continue;
            }
            try {
                decideCandidate(c, key);
            } catch (NotWritten e) {
                decided.remove(key);
                retry(c, e);
                return;
            }
        }
        if (settings.autoRollback()) {
            rollBackRegressions();
        }
    }

    /** Decides nothing more until {@link #RETRY_AFTER} has passed, saying why. */
    private void retry(ModelPublished c, NotWritten e) {
        retryAt = clock.instant().plus(RETRY_AFTER);
        log.warn(
                "the decision on {} v{} is not written ({}); deciding again in {} s",
                c.model(),
                c.version(),
                e.getMessage(),
                RETRY_AFTER.toSeconds());
    }

    /** Promotes, rejects or leaves in shadow one candidate not decided yet. */
    private void decideCandidate(ModelPublished c, String key) {
        ModelPublished p = production.get(c.model());
        if (p != null && p.version() == c.version()) {
            end(c); // already production
            decided.add(key);
            return;
        }
        if (p == null) {
            return;
        }
        Integer gatedAgainst = c.gate() == null ? null : c.gate().productionVersion();
        if (gatedAgainst != null && gatedAgainst != p.version()) {
            decided.add(key);
            verdict(
                    c,
                    ModelRejected.Verdict.STALE,
                    "gated against v"
                            + gatedAgainst
                            + ", but v"
                            + p.version()
                            + " is production now; the next run compares with it");
            end(c);
            return;
        }
        Totals t = totals(c.model(), c.version(), LiveReport.Role.SHADOW, p.version(), null);
        if (t.frames() < settings.shadowFrames()) {
            return;
        }
        decided.add(key);
        double agreement = t.compared() == 0 ? 0 : t.agreementSum() / t.compared();
        double productionFailureRate =
                t.frames() == 0 ? 0 : (double) t.productionFailures() / t.frames();
        ShadowEvidence evidence =
                new ShadowEvidence(
                        t.frames(),
                        t.compared(),
                        agreement,
                        t.failureRate(),
                        productionFailureRate,
                        t.meanConfidence(),
                        t.compared() == 0 ? Double.NaN : t.productionConfidenceSum() / t.compared(),
                        t.instances());
        List<String> regressions = new ArrayList<>();
        if (t.failureRate() > productionFailureRate + settings.maxShadowFailureRate()) {
            regressions.add(
                    String.format(
                            Locale.ROOT,
                            "failure rate %.4f > production's %.4f + %.4f"
                                    + " (trainer.shadow.max.failure.rate)",
                            t.failureRate(),
                            productionFailureRate,
                            settings.maxShadowFailureRate()));
        }
        // A candidate that is right where production is wrong must disagree with it there: it
        // cannot be asked to agree with production more often than production was right on
        // the gate images (a 0.22-accurate production and a perfect candidate agree on ~0.22).
        double required = settings.minAgreement();
        String capped = "";
        if (c.gate() != null
                && Double.isFinite(c.gate().production())
                && c.gate().production() >= 0
                && c.gate().production() < required) {
            required = c.gate().production();
            capped =
                    String.format(
                            Locale.ROOT, ", capped at production's gate %s", c.gate().metricName());
        }
        if (agreement < required) {
            regressions.add(
                    String.format(
                            Locale.ROOT,
                            "agreement with production %.3f < %.3f (trainer.shadow.min.agreement%s)",
                            agreement,
                            required,
                            capped));
        }
        if (regressions.isEmpty()) {
            promote(c, p, evidence);
        } else {
            reject(c, p, evidence, String.join("; ", regressions));
        }
    }

    /** Rolls back each production version that regressed live since it was promoted. */
    private void rollBackRegressions() {
        for (ModelPublished p : List.copyOf(production.values())) {
            String key = p.model() + "/v" + p.version() + "/" + promotedAt(p);
            if (decided.contains(key)) {
                continue;
            }
            Totals t =
                    totals(
                            p.model(),
                            p.version(),
                            LiveReport.Role.PRODUCTION,
                            null,
                            promotedAt(p).minusSeconds(1));
            if (t.frames() < settings.rollbackMinFrames()) {
                continue;
            }
            String why = null;
            if (t.failureRate() > settings.rollbackMaxFailureRate()) {
                why =
                        String.format(
                                Locale.ROOT,
                                "failure rate %.4f over %d live frames > %.4f"
                                        + " (trainer.rollback.max.failure.rate)",
                                t.failureRate(),
                                t.frames(),
                                settings.rollbackMaxFailureRate());
            } else if (p.promotion() != null
                    && p.promotion().shadow() != null
                    && Double.isFinite(p.promotion().shadow().meanConfidence())
                    && Double.isFinite(t.meanConfidence())
                    && Math.abs(t.meanConfidence() - p.promotion().shadow().meanConfidence())
                            > settings.rollbackMaxConfidenceShift()) {
                why =
                        String.format(
                                Locale.ROOT,
                                "mean confidence %.3f over %d live frames moved more than %.3f from"
                                        + " %.3f in shadow (trainer.rollback.max.confidence.shift)",
                                t.meanConfidence(),
                                t.frames(),
                                settings.rollbackMaxConfidenceShift(),
                                p.promotion().shadow().meanConfidence());
            }
            if (why == null) {
                continue;
            }
            decided.add(key);
            try {
                ModelPublished back =
                        rollback.rollback(p, null, Promotion.By.AUTOMATIC_ROLLBACK, why);
                metrics.rollout(p.model(), "rolled_back");
                log.warn(
                        "rolled {} back from v{} to v{}: {}",
                        p.model(),
                        p.version(),
                        back.version(),
                        why);
            } catch (Rollback.RollbackException e) {
                if (e.retriable()) {
                    decided.remove(key);
                    retryAt = clock.instant().plus(RETRY_AFTER);
                    log.warn(
                            "{} v{} regressed live ({}); the rollback is not written ({}),"
                                    + " trying again in {} s",
                            p.model(),
                            p.version(),
                            why,
                            e.getMessage(),
                            RETRY_AFTER.toSeconds());
                    return;
                }
                log.warn(
                        "{} v{} regressed live ({}) but cannot be rolled back: {}",
                        p.model(),
                        p.version(),
                        why,
                        e.getMessage());
            }
        }
    }

    private static Instant promotedAt(ModelPublished p) {
        return p.promotion() != null ? p.promotion().at() : p.publishedAt();
    }

    private void promote(ModelPublished c, ModelPublished p, ShadowEvidence evidence) {
        String reason =
                (c.gate() == null ? "" : "gate: " + c.gate().describe() + "; ")
                        + "shadow: "
                        + evidence.describe();
        ModelPublished announced =
                c.withPromotion(
                        new Promotion(
                                Promotion.By.SHADOW,
                                truncate(reason),
                                p.version(),
                                clock.instant(),
                                evidence));
        send(topics.published(), c.model(), rollback.sign(announced));
        end(c);
        registry.manifest(c.model(), c.version())
                .ifPresent(
                        m ->
                                registry.update(
                                        m.withPublished(announced)
                                                .with(
                                                        new ModelRegistry.Event(
                                                                ModelRegistry.Event.Kind.PROMOTED,
                                                                "shadow",
                                                                truncate(evidence.describe()),
                                                                clock.instant()))));
        metrics.rollout(c.model(), "promoted");
        metrics.productionVersion(c.model(), c.version());
        log.info("promoted {} v{} after its shadow phase: {}", c.model(), c.version(), reason);
    }

    private void reject(ModelPublished c, ModelPublished p, ShadowEvidence evidence, String why) {
        String reason =
                "regressed in shadow beside v"
                        + p.version()
                        + ": "
                        + why
                        + "; "
                        + evidence.describe();
        verdict(c, ModelRejected.Verdict.SHADOW_REGRESSION, reason);
        end(c);
    }

    /** Rejects a candidate for {@code verdict}, records it in its manifest and the metrics. */
    private void verdict(ModelPublished c, ModelRejected.Verdict verdict, String reason) {
        ModelRejected rejected =
                new ModelRejected(
                        c.model(),
                        "shadow-v" + c.version(),
                        truncate(reason),
                        c.metricName(),
                        c.metricValue(),
                        c.gate() == null ? Double.NaN : c.gate().production(),
                        0,
                        clock.instant(),
                        verdict,
                        c.gate());
        send(topics.rejected(), c.model(), rejected);
        registry.manifest(c.model(), c.version())
                .ifPresent(
                        m ->
                                registry.update(
                                        m.with(
                                                new ModelRegistry.Event(
                                                        ModelRegistry.Event.Kind.SHADOW_REJECTED,
                                                        "shadow",
                                                        truncate(verdict + ": " + reason),
                                                        clock.instant()))));
        metrics.rollout(c.model(), "shadow_rejected");
        if (verdict == ModelRejected.Verdict.SHADOW_REGRESSION) {
            log.warn("rejected {} v{}: {}", c.model(), c.version(), reason);
        } else {
            log.info("rejected {} v{} ({}): {}", c.model(), c.version(), verdict, reason);
        }
    }

    /** Ends a candidate's shadow phase (tombstone). */
    private void end(ModelPublished c) {
        send(topics.candidates(), c.model(), null);
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        try {
            producer.send(topic.record(key, value))
                    .get(sendTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotWritten("interrupted while writing to " + topic.name(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new NotWritten(
                    topic.name()
                            + " did not acknowledge within "
                            + sendTimeout.toMillis() / 1000.0
                            + "s",
                    e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NotWritten("cannot write to " + topic.name() + ": " + e.getCause(), e);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(10));
    }
}
