package io.streamtune.ingest.accept;

import io.streamtune.contracts.DeadLetter;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.ingest.IngestMetrics;
import io.streamtune.ingest.validate.Digests;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import io.streamtune.ingest.validate.SampleValidator;
import io.streamtune.ingest.validate.ValidatedSample;
import io.streamtune.runtime.LogThrottle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single acceptance path: validate, dedupe by content hash, then write a {@link
 * LabelledImageAccepted} to the labelled topic or a {@link DeadLetter} to the intake dead-letter
 * topic. The returned future completes only after Kafka acknowledged that write (the producer is
 * idempotent with {@code acks=all}), so a caller that reports success after it never reports a
 * sample that could still be lost.
 *
 * <p>Dedupe: the same image with the same label is a no-op ({@link Acceptance.Status#UNCHANGED});
 * the same image with a new label is written again under the same key ({@link
 * Acceptance.Status#RELABELLED}), replacing the old one in the compacted topic. Concurrent
 * submissions of one key are serialized so two identical records are never written by one process.
 * Thread-safe.
 */
public final class Acceptor {

    /**
     * Largest original value a dead letter keeps; the dead-letter topic takes records up to 16 MiB.
     */
    static final int DEAD_LETTER_VALUE_LIMIT = 8 << 20;

    /** Prefix of the original value a dead letter keeps when the record was refused for size. */
    static final int OVERSIZED_PREFIX_BYTES = 64 << 10;

    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    /** At most 5 lines per rejection reason per 10 s. */
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(10), 5);

    private final SampleValidator validator;
    private final Producer<byte[], byte[]> producer;
    private final String labelledTopic;
    private final String deadLetterTopic;
    private final LabelIndex index;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Map<String, CompletableFuture<Acceptance>> inFlight = new ConcurrentHashMap<>();

    public Acceptor(
            SampleValidator validator,
            Producer<byte[], byte[]> producer,
            String labelledTopic,
            String deadLetterTopic,
            LabelIndex index,
            IngestMetrics metrics,
            Clock clock) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.labelledTopic = Objects.requireNonNull(labelledTopic, "labelledTopic");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        this.index = Objects.requireNonNull(index, "index");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The index of samples this acceptor knows to be in. */
    public LabelIndex index() {
        return index;
    }

    /**
     * Validates in the calling thread, then writes asynchronously. The future fails only when Kafka
     * cannot take the write (the caller must then not report success); validation failures complete
     * it normally with {@link Acceptance.Status#REJECTED} once the dead letter is acknowledged.
     */
    public CompletableFuture<Acceptance> submit(Submission submission) {
        long started = System.nanoTime();
        String digest =
                submission.image() == null || submission.image().length == 0
                        ? null
                        : Digests.sha256Hex(submission.image());
        CompletableFuture<Acceptance> known;
        try {
            known = alreadyIn(submission, digest);
        } catch (RuntimeException e) {
            known = null;
        }
        if (known != null) {
            return known;
        }
        ValidatedSample sample;
        try {
            sample =
                    validator.validate(
                            submission.model(), submission.image(), submission.label(), digest);
        } catch (SampleRejectedException e) {
            return reject(
                    submission.origin(), e.reason(), e.getMessage(), deadLetterValue(submission));
        } catch (RuntimeException e) {
            // A record that trips an unexpected error must be parked, not retried forever by the
            // intake loop.
            return reject(
                    submission.origin(),
                    RejectReason.MALFORMED_RECORD,
                    "cannot validate: " + e,
                    deadLetterValue(submission));
        }
        String key = sample.key();
        while (true) {
            Long present = index.get(key).orElse(null);
            if (present != null && present == sample.labelHash()) {
                metrics.unchanged(submission.origin().channel());
                return CompletableFuture.completedFuture(
                        new Acceptance(
                                Acceptance.Status.UNCHANGED,
                                key,
                                null,
                                null,
                                sample.width(),
                                sample.height()));
            }
            CompletableFuture<Acceptance> mine = new CompletableFuture<>();
            CompletableFuture<Acceptance> other = inFlight.putIfAbsent(key, mine);
            if (other != null) {
                // The same image is being written right now: wait for it, then decide against the
                // index again.
                other.handle((o, e) -> null).join();
                continue;
            }
            Long before = index.get(key).orElse(null);
            if (before != null && before == sample.labelHash()) {
                inFlight.remove(key, mine);
                mine.complete(null);
                continue;
            }
            write(sample, submission, before != null, started, mine);
            return mine;
        }
    }

    /**
     * Fast path for re-sent samples (an import run again): same content hash and label hash as what
     * is in, so it was validated when it went in and nothing needs decoding now.
     */
    private CompletableFuture<Acceptance> alreadyIn(Submission s, String digest) {
        if (s.model() == null || digest == null || s.label() == null) {
            return null;
        }
        String key = LabelledImageAccepted.key(s.model(), digest);
        Long present = index.get(key).orElse(null);
        if (present == null || present != Digests.labelHash(s.label())) {
            return null;
        }
        metrics.unchanged(s.origin().channel());
        return CompletableFuture.completedFuture(
                new Acceptance(Acceptance.Status.UNCHANGED, key, null, null, 0, 0));
    }

    private void write(
            ValidatedSample sample,
            Submission submission,
            boolean relabel,
            long started,
            CompletableFuture<Acceptance> result) {
        var value =
                new LabelledImageAccepted(
                        sample.sampleId(),
                        sample.model(),
                        sample.image(),
                        sample.mediaType(),
                        sample.width(),
                        sample.height(),
                        sample.label(),
                        submission.source(),
                        clock.instant());
        var headers = new RecordHeaders();
        headers.add(LabelIndex.LABEL_HASH_HEADER, LabelIndex.encode(sample.labelHash()));
        var record =
                new ProducerRecord<>(
                        labelledTopic,
                        null,
                        sample.key().getBytes(StandardCharsets.UTF_8),
                        LabelledRecordWriter.write(value, submission.imageBase64()),
                        headers);
        String channel = submission.origin().channel();
        try {
            producer.send(
                    record,
                    (metadata, error) -> {
                        inFlight.remove(sample.key(), result);
                        if (error instanceof RecordTooLargeException) {
                            // Refused for its size by Kafka itself: a property of the record, not
                            // an outage, so park it.
                            CompletableFuture.runAsync(
                                    () ->
                                            reject(
                                                            submission.origin(),
                                                            RejectReason.TOO_LARGE,
                                                            "labelled record of "
                                                                    + record.value().length
                                                                    + " bytes refused by Kafka: "
                                                                    + error.getMessage(),
                                                            null)
                                                    .whenComplete(
                                                            (o, e) -> {
                                                                if (e != null) {
                                                                    result.completeExceptionally(e);
                                                                } else {
                                                                    result.complete(o);
                                                                }
                                                            }));
                            return;
                        }
                        if (error != null) {
                            log.error(
                                    "write of {} to {} failed: {}",
                                    sample.key(),
                                    labelledTopic,
                                    error.toString());
                            result.completeExceptionally(error);
                            return;
                        }
                        index.put(
                                sample.key(),
                                sample.labelHash(),
                                metadata.partition(),
                                metadata.hasOffset() ? metadata.offset() : -1);
                        metrics.accepted(channel);
                        if (relabel) {
                            metrics.relabelled(channel);
                        }
                        metrics.acceptLatency(Duration.ofNanos(System.nanoTime() - started));
                        result.complete(
                                new Acceptance(
                                        relabel
                                                ? Acceptance.Status.RELABELLED
                                                : Acceptance.Status.ACCEPTED,
                                        sample.key(),
                                        null,
                                        null,
                                        sample.width(),
                                        sample.height()));
                    });
        } catch (RuntimeException e) {
            inFlight.remove(sample.key(), result);
            result.completeExceptionally(e);
        }
    }

    /**
     * Refuses input that never became a submission (e.g. unparseable intake JSON): dead letter with
     * the original bytes, counter, WARN. Completes once the dead letter is acknowledged.
     */
    public CompletableFuture<Acceptance> reject(Origin origin, RejectReason reason, String detail) {
        return reject(origin, reason, detail, origin.value());
    }

    private CompletableFuture<Acceptance> reject(
            Origin origin, RejectReason reason, String detail, byte[] original) {
        byte[] value = original;
        String note = detail == null ? "" : detail;
        // A record refused for its size keeps only a prefix (enough to see what it was); any
        // other keeps up to 8 MiB. Either way the dead letter fits the topic and says what was cut.
        int limit = reason.isSize() ? OVERSIZED_PREFIX_BYTES : DEAD_LETTER_VALUE_LIMIT;
        int originalBytes = -1;
        if (value != null && value.length > limit) {
            note = note + " (first " + limit + " of " + value.length + " bytes kept)";
            originalBytes = value.length;
            value = java.util.Arrays.copyOf(value, limit);
        }
        long leftOut = LOG_THROTTLE.admit(reason.tag());
        if (leftOut < 0) {
            // a flood of alike rejections: counted and dead-lettered, not all logged
        } else if (origin.partition() >= 0) {
            log.warn(
                    "rejected {}-{}@{}: {}: {}{}",
                    origin.topic(),
                    origin.partition(),
                    origin.offset(),
                    reason.tag(),
                    detail,
                    LogThrottle.note(leftOut));
        } else {
            log.warn(
                    "rejected {} input: {}: {}{}",
                    origin.channel(),
                    reason.tag(),
                    detail,
                    LogThrottle.note(leftOut));
        }
        var letter =
                new DeadLetter(
                        reason.tag(),
                        note,
                        "ingest",
                        origin.topic(),
                        origin.partition(),
                        origin.offset(),
                        origin.key(),
                        value,
                        clock.instant());
        CompletableFuture<Acceptance> result = new CompletableFuture<>();
        try {
            producer.send(
                    withOriginHeaders(
                            withOriginalSize(
                                    letter.toProducerRecord(deadLetterTopic), originalBytes),
                            origin.headers()),
                    (metadata, error) -> {
                        if (error != null) {
                            log.error(
                                    "dead letter to {} failed: {}",
                                    deadLetterTopic,
                                    error.toString());
                            result.completeExceptionally(error);
                            return;
                        }
                        metrics.rejected(reason.tag(), origin.channel());
                        result.complete(Acceptance.rejected(reason, detail, null));
                    });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>
            withOriginalSize(
                    org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r,
                    int originalBytes) {
        if (originalBytes >= 0) {
            r.headers()
                    .add(
                            DeadLetter.ORIGINAL_VALUE_BYTES,
                            Integer.toString(originalBytes)
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return r;
    }

    /** Most bytes of original headers a dead letter carries (the rest of its headroom is ours). */
    static final int ORIGIN_HEADER_BYTES = 32 * 1024;

    /**
     * Copies the original record's headers (a binary intake record's label and model) onto its dead
     * letter, so it can be replayed as it came; headers of more than {@link #ORIGIN_HEADER_BYTES}
     * in all are left off, and a header says so.
     */
    private static org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>
            withOriginHeaders(
                    org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r,
                    org.apache.kafka.common.header.Headers original) {
        if (original == null) {
            return r;
        }
        long bytes = 0;
        for (org.apache.kafka.common.header.Header h : original) {
            bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        if (bytes > ORIGIN_HEADER_BYTES) {
            r.headers()
                    .add(
                            DeadLetter.ORIGINAL_HEADERS_BYTES,
                            Long.toString(bytes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return r;
        }
        for (org.apache.kafka.common.header.Header h : original) {
            if (!h.key().startsWith("dlq.")) {
                r.headers().add(h.key(), h.value());
            }
        }
        return r;
    }

    /** The original bytes if known, else the submission as intake JSON, else the raw image. */
    private static byte[] deadLetterValue(Submission s) {
        if (s.origin().value() != null) {
            return s.origin().value();
        }
        try {
            return io.streamtune.contracts.Topics.IMAGES_INTAKE.bytes(
                    new LabelledImageSubmitted(s.model(), s.image(), s.label(), s.source()));
        } catch (RuntimeException e) {
            return s.image();
        }
    }
}
