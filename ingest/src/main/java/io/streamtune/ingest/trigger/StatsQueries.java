package io.streamtune.ingest.trigger;

import java.util.List;
import java.util.Optional;

/**
 * The dataset counts ingest answers questions from: {@link StatsView} over Kafka Streams'
 * interactive queries in the service, a map in a test. Methods may throw {@link
 * io.streamtune.runtime.http.UnavailableException} while the store cannot be queried.
 */
public interface StatsQueries {

    /** Stats of a model held by this instance. */
    Optional<ModelStats> get(String model);

    /** Stats of every model held by this instance. */
    List<ModelStats> all();

    /** {@code host:port} of the instance that holds the model; empty if unknown. */
    Optional<String> owner(String model);
}
