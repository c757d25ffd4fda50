/** A real single-node KRaft Kafka broker in-process, for the local stack and integration tests. */
package io.streamtune.kafka.embedded;
