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

    /**
     * A record of this topic for a {@code byte[]} producer: key and value written by the topic's
     * serdes (a null value is a tombstone).
     */
    public org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record(K key, V value) {
        return new org.apache.kafka.clients.producer.ProducerRecord<>(
                name,
                key == null ? null : keySerde.serializer().serialize(name, key),
                bytes(value));
    }

    /** {@code value} as this topic's serde writes it; null stays null (a tombstone). */
    public byte[] bytes(V value) {
        return value == null ? null : valueSerde.serializer().serialize(name, value);
    }

    /**
     * A value read from this topic by its serde.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when the bytes are not one
     */
    public V value(byte[] bytes) {
        return bytes == null ? null : valueSerde.deserializer().deserialize(name, bytes);
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
