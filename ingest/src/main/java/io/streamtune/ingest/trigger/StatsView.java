package io.streamtune.ingest.trigger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on the {@link TriggerTopology#MODELS_STORE} of this instance. With several
 * ingest instances each holds the models of its partitions; {@link #owner(String)} tells where
 * another lives.
 */
public final class StatsView implements StatsQueries {

    private final AtomicReference<KafkaStreams> streams;

    public StatsView(AtomicReference<KafkaStreams> streams) {
        this.streams = streams;
    }

    private ReadOnlyKeyValueStore<String, ModelStats> store() {
        KafkaStreams s = streams.get();
        if (s == null || s.state() != KafkaStreams.State.RUNNING) {
            throw new io.streamtune.runtime.http.UnavailableException(
                    "stats are not available: Kafka Streams is "
                            + (s == null ? "not started" : s.state()),
                    true);
        }
        return s.store(
                StoreQueryParameters.fromNameAndType(
                        TriggerTopology.MODELS_STORE, QueryableStoreTypes.keyValueStore()));
    }

    /** Stats of a model held by this instance. */
    @Override
    public Optional<ModelStats> get(String model) {
        try {
            return Optional.ofNullable(store().get(model));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            // a rebalance moved or is rebuilding the store: a moment's unavailability, not a bug
            throw new io.streamtune.runtime.http.UnavailableException(
                    "stats are not available: the store is being rebuilt; retry", true);
        }
    }

    /** Stats of every model held by this instance. */
    @Override
    public List<ModelStats> all() {
        List<ModelStats> out = new java.util.ArrayList<>();
        try (KeyValueIterator<String, ModelStats> it = store().all()) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /**
     * {@code host:port} of the instance that holds the model, as set in {@code application.server};
     * empty if unknown.
     */
    @Override
    public Optional<String> owner(String model) {
        KafkaStreams s = streams.get();
        if (s == null) {
            return Optional.empty();
        }
        var meta =
                s.queryMetadataForKey(
                        TriggerTopology.MODELS_STORE,
                        model,
                        org.apache.kafka.common.serialization.Serdes.String().serializer());
        if (meta == null || meta.activeHost() == null || meta.activeHost().port() < 0) {
            return Optional.empty();
        }
        return Optional.of(meta.activeHost().host() + ":" + meta.activeHost().port());
    }
}
