/** The Kafka Streams topology that keeps per-model dataset counts and decides when to train. */
package io.streamtune.ingest.trigger;
