package io.streamtune.runtime;

import io.streamtune.contracts.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service owns when they are missing, with their declared configs, and checks
 * that topics which already exist have the configs the service depends on. Idempotent.
 *
 * <p>A topic it creates is returned only once every partition's leader serves requests: a producer
 * that writes to a partition whose leader is known to the metadata but not yet serving gets {@code
 * NOT_LEADER_OR_FOLLOWER} for its first batch while later batches of the same idempotent producer
 * can already land, and the retried first batch is then refused as out of order until the delivery
 * timeout expires (seen with Kafka 4.4 on a freshly created topic: a partition stalled for two
 * minutes). Waiting until a leader answers a list-offsets request for each partition closes that
 * window.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final short replicationFactor;
    private final long timeoutMs;

    /**
     * @param replicationFactor replication for created topics; -1 = the broker's default
     */
    public TopicProvisioner(Admin admin, short replicationFactor, long timeoutMs) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeoutMs = timeoutMs;
    }

    /** Ensures every topic exists and is compatible; returns the names it created. */
    public List<String> ensure(Collection<? extends Topic<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<Topic<?, ?>> present = new ArrayList<>();
            for (Topic<?, ?> t : topics) {
                if (existing.contains(t.name())) {
                    present.add(t);
                } else {
                    missing.add(
                            new NewTopic(
                                            t.name(),
                                            Optional.of(t.spec().partitions()),
                                            replicationFactor < 0
                                                    ? Optional.empty()
                                                    : Optional.of(replicationFactor))
                                    .configs(t.spec().configs()));
                }
            }
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // Another instance created it in the meantime: check it like any existing
                    // topic.
                    topics.stream()
                            .filter(t -> t.name().equals(entry.getKey()))
                            .forEach(present::add);
                }
            }
            checkConfigs(present);
            Map<String, Integer> partitions = new HashMap<>();
            for (Topic<?, ?> t : topics) {
                if (created.contains(t.name())) {
                    partitions.put(t.name(), t.spec().partitions());
                }
            }
            awaitServing(admin, partitions, timeoutMs);
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot provision topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot provision topics: Kafka did not answer within "
                            + timeoutMs
                            + " ms (check kafka.bootstrap.servers)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        }
    }

    private void checkConfigs(List<Topic<?, ?>> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources =
                topics.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name()))
                        .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        for (Topic<?, ?> t : topics) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
            for (var required : t.spec().requiredConfigs().entrySet()) {
                ConfigEntry entry = config.get(required.getKey());
                String actual = entry == null ? null : entry.value();
                if (!required.getValue().equals(actual)) {
                    throw new IncompatibleTopicException(
                            t.name(), required.getKey(), required.getValue(), actual);
                }
            }
        }
    }

    /**
     * Creates the topics and returns once every partition of them is served ({@link
     * #awaitServing}): for callers that create topics of their own (tests, benchmarks) and produce
     * to them at once.
     */
    public static void create(Admin admin, Collection<NewTopic> topics, long timeoutMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        admin.createTopics(topics).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<String, Integer> partitions = new HashMap<>();
        for (NewTopic t : topics) {
            partitions.put(t.name(), t.numPartitions());
        }
        awaitServing(admin, partitions, timeoutMs);
    }

    /**
     * Waits until the leader of every partition of the given topics (name to partition count)
     * answers a list-offsets request, i.e. serves produce and fetch requests.
     *
     * @throws TimeoutException when some partition has no serving leader within {@code timeoutMs}
     */
    public static void awaitServing(Admin admin, Map<String, Integer> topics, long timeoutMs)
            throws InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        topics.forEach(
                (name, count) -> {
                    for (int p = 0; p < count; p++) {
                        request.put(new TopicPartition(name, p), OffsetSpec.latest());
                    }
                });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                admin.listOffsets(request).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                last = e.getCause();
                Thread.sleep(20);
            }
        }
        throw new TimeoutException(
                "partitions of "
                        + topics.keySet()
                        + " have no serving leader after "
                        + timeoutMs
                        + " ms"
                        + (last == null ? "" : ": " + last));
    }
}
