package io.streamtune.ingest.accept;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.Digests;
import io.streamtune.runtime.PollLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which samples are in the labelled topic, and with which label: sample key → label hash. Loaded by
 * reading the compacted labelled topic from the beginning to its end offsets at start-up, then kept
 * current by the {@link Acceptor} after each acknowledged write and, when {@link #follow followed},
 * by reading what others write (without reading back this process's own writes). The topic is the
 * source of truth, so after a crash (even kill -9) a reload sees exactly what was written and
 * nothing is sent twice.
 *
 * <p>Records written by ingest carry the label hash in the {@link #LABEL_HASH_HEADER} header; other
 * records are parsed. Thread-safe. Memory: one entry (~150 bytes) per sample.
 */
public final class LabelIndex {

    /** Header holding the 8-byte label hash on labelled records written by ingest. */
    public static final String LABEL_HASH_HEADER = "streamtune.label.hash";

    private static final Logger log = LoggerFactory.getLogger(LabelIndex.class);

    private final Map<String, Long> labels = new ConcurrentHashMap<>();

    /**
     * Offsets of the labelled topic written by this process and not yet passed by the follower, per
     * partition; kept only while following.
     */
    private final Map<Integer, NavigableSet<Long>> ownWrites = new ConcurrentHashMap<>();

    private volatile boolean following;
    private final AtomicLong ownSkipped = new AtomicLong();
    private final AtomicLong ownRead = new AtomicLong();
    private final AtomicLong othersRead = new AtomicLong();

    /** An empty index. */
    public LabelIndex() {}

    /**
     * Reads the labelled topic up to its current end. {@code keyFilter} limits what is kept (e.g.
     * one model's keys for an import).
     */
    public static LabelIndex load(
            Consumer<byte[], byte[]> consumer,
            String topic,
            Predicate<String> keyFilter,
            Duration timeout) {
        LabelIndex index = new LabelIndex();
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long records = 0;
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records++;
                index.apply(r, keyFilter);
            }
        }
        log.info(
                "label index loaded from {}: {} records read, {} samples",
                topic,
                records,
                index.size());
        return index;
    }

    /**
     * {@code max.poll.records} for a followed consumer: a poll that brings this many means a
     * backlog, and the follower reads on at once; fewer, and it waits for its next interval. Larger
     * than the handful of own writes that can be unacknowledged when a read starts.
     */
    public static final int FOLLOW_BATCH = 100;

    /** How often {@link #follow} reads on by default. */
    public static final Duration FOLLOW_INTERVAL = Duration.ofMillis(500);

    /**
     * Keeps the index current with writes by others (another ingest instance, an import CLI) by
     * reading on from where {@link #load} stopped, every {@code interval}, on a daemon thread,
     * until the returned loop is closed (its {@link PollLoop#healthy()} tells whether it still
     * follows). The consumer must be the one {@code load} used; the follower owns and closes it.
     *
     * <p>It does not read back what this process wrote: before each read it moves past the offsets
     * that {@link #put(String, long, int, long)} reported as written here, so a lone ingest does
     * not fetch every 100 KB image it just wrote a second time (a full extra fetch per record for
     * the broker and for this process). Only records it cannot skip that way are fetched: others'
     * writes and whatever of this process's own was still unacknowledged when the read began. Give
     * the consumer {@code max.poll.records} = {@link #FOLLOW_BATCH}.
     */
    public PollLoop follow(
            Consumer<byte[], byte[]> consumer, Predicate<String> keyFilter, Duration interval) {
        following = true;
        AtomicReference<PollLoop> self = new AtomicReference<>();
        Set<TopicPartition> partitions = new HashSet<>();
        PollLoop loop =
                new PollLoop(
                                "ingest-label-index",
                                consumer::wakeup,
                                new PollLoop.Body() {
                                    @Override
                                    public void open() {
                                        partitions.addAll(consumer.assignment());
                                        consumer.pause(partitions);
                                    }

                                    @Override
                                    public void turn() {
                                        // All partitions paused: this only waits (wakeup ends
                                        // it).
                                        consumer.poll(interval);
                                        // Read on without waiting while reads come back full (a
                                        // backlog of others' writes).
                                        while (self.get().running()
                                                && readOnce(consumer, partitions, keyFilter)
                                                        >= FOLLOW_BATCH) {}
                                    }

                                    @Override
                                    public void close() {
                                        following = false;
                                        ownWrites.clear();
                                        FollowStats stats = followStats();
                                        log.info(
                                                "label index follower stopped: {} own writes"
                                                        + " skipped unread, {} own writes read"
                                                        + " back, {} records applied (others'"
                                                        + " writes, or own ones fetched before"
                                                        + " their acknowledgement was reported)",
                                                stats.ownSkipped(),
                                                stats.ownRead(),
                                                stats.othersRead());
                                        consumer.close(Duration.ofSeconds(2));
                                    }
                                })
                        .daemon()
                        .onFailureSays(
                                "the label index no longer sees other writers' samples, so their"
                                        + " duplicates are not caught");
        self.set(loop);
        return loop.start();
    }

    /**
     * Skips own writes, then one poll; returns how many records it brought. (Whether a record was
     * written here cannot decide whether to read on: the follower can fetch an own write before its
     * acknowledgement has been reported.)
     */
    private int readOnce(
            Consumer<byte[], byte[]> consumer,
            Set<TopicPartition> partitions,
            Predicate<String> keyFilter) {
        skipOwnWrites(consumer, partitions);
        consumer.resume(partitions);
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(300));
        consumer.pause(partitions);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            NavigableSet<Long> own = ownWrites.get(r.partition());
            if (own != null && own.remove(r.offset())) {
                ownRead.incrementAndGet();
            } else {
                othersRead.incrementAndGet();
                apply(r, keyFilter);
            }
        }
        return records.count();
    }

    /** {@link #follow(Consumer, Predicate, Duration)} every {@link #FOLLOW_INTERVAL}. */
    public PollLoop follow(Consumer<byte[], byte[]> consumer, Predicate<String> keyFilter) {
        return follow(consumer, keyFilter, FOLLOW_INTERVAL);
    }

    /**
     * Seeks each partition past the run of this process's own writes that starts at its position.
     */
    private void skipOwnWrites(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            NavigableSet<Long> own = ownWrites.get(tp.partition());
            if (own == null || own.isEmpty()) {
                continue;
            }
            long position = consumer.position(tp);
            own.headSet(position).clear();
            long next = position;
            while (own.remove(next)) {
                next++;
            }
            if (next != position) {
                ownSkipped.addAndGet(next - position);
                consumer.seek(tp, next);
            }
        }
    }

    /**
     * What the follower did so far: own records skipped without fetching them, own records fetched
     * anyway (written while a read was under way), and records applied to the index: others'
     * writes, and own writes fetched before their acknowledgement was reported (harmless: the same
     * label again).
     */
    public record FollowStats(long ownSkipped, long ownRead, long othersRead) {}

    /** Counters of {@link #follow}. */
    public FollowStats followStats() {
        return new FollowStats(ownSkipped.get(), ownRead.get(), othersRead.get());
    }

    private void apply(ConsumerRecord<byte[], byte[]> r, Predicate<String> keyFilter) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (!keyFilter.test(key)) {
            return;
        }
        if (r.value() == null) {
            labels.remove(key);
        } else {
            labelHash(r).ifPresent(h -> labels.put(key, h));
        }
    }

    private static boolean caughtUp(
            Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Long> labelHash(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(LABEL_HASH_HEADER);
        if (h != null && h.value().length == 8) {
            return Optional.of(ByteBuffer.wrap(h.value()).getLong());
        }
        try {
            return Optional.of(
                    Digests.labelHash(
                            JsonSerde.MAPPER.readValue(r.value(), LabelOnly.class).label()));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn(
                    "unreadable labelled record at {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * Just the label of a labelled record; the image field is skipped by the parser, not
     * materialized.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LabelOnly(Label label) {}

    /** The label hash stored for a sample key. */
    public Optional<Long> get(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    /** Records that a key now holds a label. */
    public void put(String key, long labelHash) {
        labels.put(key, labelHash);
    }

    /**
     * Records that this process wrote a key's label at {@code partition}/{@code offset} of the
     * labelled topic (Kafka acknowledged it), so a {@link #follow follower} need not read it back.
     */
    public void put(String key, long labelHash, int partition, long offset) {
        labels.put(key, labelHash);
        if (following && partition >= 0 && offset >= 0) {
            ownWrites.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>()).add(offset);
        }
    }

    /** Number of samples. */
    public int size() {
        return labels.size();
    }

    /** Encodes a label hash for {@link #LABEL_HASH_HEADER}. */
    public static byte[] encode(long labelHash) {
        return ByteBuffer.allocate(8).putLong(labelHash).array();
    }
}
