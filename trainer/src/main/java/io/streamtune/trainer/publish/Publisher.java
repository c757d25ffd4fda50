package io.streamtune.trainer.publish;

import io.streamtune.contracts.ArtifactRef;
import io.streamtune.contracts.ModelPublished;
import io.streamtune.contracts.Topic;
import io.streamtune.vision.artifact.ArtifactException;
import io.streamtune.vision.artifact.ArtifactStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish step of a training run, the same for every task: store the artifact, save the
 * version's manifest and training graph, announce it (signed) on the models or candidates topic and
 * wait, with a timeout, for Kafka to acknowledge, then delete versions older than the retention
 * (never the one in production).
 */
public final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final ArtifactStore store;
    private final ModelRegistry registry;
    private final Producer<byte[], byte[]> producer;
    private final UnaryOperator<ModelPublished> sign;
    private final int retainVersions;
    private final Duration timeout;

    /**
     * @param sign signs an announcement before it is written (identity when no key is set)
     * @param retainVersions how many versions back a model keeps (at least 1)
     * @param timeout how long to wait for Kafka to acknowledge an announcement
     */
    public Publisher(
            ArtifactStore store,
            ModelRegistry registry,
            Producer<byte[], byte[]> producer,
            UnaryOperator<ModelPublished> sign,
            int retainVersions,
            Duration timeout) {
        this.store = store;
        this.registry = registry;
        this.producer = producer;
        this.sign = sign;
        this.retainVersions = Math.max(1, retainVersions);
        this.timeout = timeout;
    }

    /**
     * One version to publish.
     *
     * @param model the model
     * @param version its new version
     * @param onnx the served artifact
     * @param trainGraph the graph the next run continues from
     * @param trainingConfig the settings recorded in the manifest
     * @param announcement the announcement, given where the artifact was stored
     * @param topic the (prefixed) topic announced on: models, or candidates for a shadow run
     * @param production the version in production that retention must keep, null when none
     */
    public record Release(
            String model,
            int version,
            byte[] onnx,
            byte[] trainGraph,
            Map<String, String> trainingConfig,
            Function<ArtifactRef, ModelPublished> announcement,
            Topic<String, ModelPublished> topic,
            Integer production) {}

    /**
     * Publishes {@code release}; returns the announcement as written (signed).
     *
     * @throws PublishException when Kafka does not acknowledge the announcement in time (the
     *     artifact and manifest stay, so the next run numbers past this version)
     */
    public ModelPublished publish(Release release) throws ArtifactException {
        ArtifactRef ref = store.put(release.model(), release.version(), release.onnx());
        ModelPublished published = release.announcement().apply(ref);
        // the manifest keeps the record unsigned: a later promotion or rollback changes it and
        // signs what it writes then
        registry.save(
                new ModelRegistry.Manifest(published, release.trainingConfig(), List.of()),
                release.trainGraph());
        ModelPublished announced = sign.apply(published);
        try {
            producer.send(release.topic().record(release.model(), announced))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PublishException(
                    release.model()
                            + " v"
                            + release.version()
                            + ": "
                            + release.topic().name()
                            + " did not acknowledge the announcement within "
                            + timeout.toMillis() / 1000.0
                            + "s");
        } catch (ExecutionException e) {
            throw new PublishException(
                    release.model()
                            + " v"
                            + release.version()
                            + ": announcing on "
                            + release.topic().name()
                            + " failed: "
                            + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException(
                    release.model() + " v" + release.version() + ": interrupted while announcing");
        }
        for (int old :
                expired(
                        registry.versions(release.model()),
                        release.version(),
                        retainVersions,
                        release.production())) {
            try {
                store.delete(release.model(), old);
                registry.delete(release.model(), old);
            } catch (Exception e) {
                LOG.warn(
                        "could not delete {} v{} under the retention policy: {}",
                        release.model(),
                        old,
                        e.getMessage());
            }
        }
        return announced;
    }

    /**
     * The versions retention deletes once {@code version} is published: those at least {@code
     * retain} versions older, except {@code production}.
     */
    public static List<Integer> expired(
            Collection<Integer> versions, int version, int retain, Integer production) {
        List<Integer> out = new ArrayList<>();
        for (int old : versions) {
            if (old <= version - retain && (production == null || old != production)) {
                out.add(old);
            }
        }
        return out;
    }

    /** The next version number: past both production and every version the registry holds. */
    public static int nextVersion(Integer production, Collection<Integer> registered) {
        int max = production == null ? 0 : production;
        for (int v : registered) {
            max = Math.max(max, v);
        }
        return max + 1;
    }

    /** An announcement Kafka did not take; the message names the model, version and topic. */
    public static final class PublishException extends RuntimeException {
        public PublishException(String message) {
            super(message);
        }
    }
}
