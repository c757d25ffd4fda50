package io.streamtune.ingest.intake;

import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.accept.Acceptor;
import io.streamtune.ingest.fixtures.Acceptors;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.testkit.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;

/** What the intake loop tests share: the service's own acceptor, and waiting for a condition. */
final class IntakeFixtures {

    private IntakeFixtures() {}

    /** The service's own acceptor (validator, dedupe, dead letters) writing to {@code producer}. */
    static Acceptor acceptor(MockProducer<byte[], byte[]> producer) {
        IngestConfig config =
                IngestConfig.from(
                        ConfigSource.of(Map.of("http.auth.token", "a-token-of-sixteen-chars")));
        return Acceptors.of(config, producer, "images.labelled", "images.intake.dlq");
    }

    /** Waits up to 20 s for {@code condition}; fails naming {@code what}. */
    static void await(BooleanSupplier condition, String what) {
        Eventually.until(Duration.ofSeconds(20), what, condition);
    }
}
