package io.streamtune.contracts;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A typed Kafka topic: its name, the serdes of its keys and values, and its layout.
 *
 * @param name full topic name (prefix included)
 * @param keySerde key serde
 * @param valueSerde value serde
 * @param spec partitions and configs declared for the topic
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSpec spec) {

    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("invalid topic name: '" + name + "'");
        }
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(spec, "spec");
    }

    /** The same topic under a name prefix, e.g. {@code "prod."}. */
    public Topic<K, V> withPrefix(String prefix) {
        return new Topic<>(prefix + name, keySerde, valueSerde, spec);
    }

    /** The dead-letter topic that collects records of this one that could not be processed. */
    public Topic<byte[], byte[]> deadLetters() {
        return new Topic<>(
                name + ".dlq",
                org.apache.kafka.common.serialization.Serdes.ByteArray(),
                org.apache.kafka.common.serialization.Serdes.ByteArray(),
                TopicSpec.log(spec.partitions(), 14L * 24 * 3600 * 1000));
    }
}
