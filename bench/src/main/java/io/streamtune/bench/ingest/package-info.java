/**
 * Ingest throughput: labelled JPEGs through the HTTP API, and the Kafka intake path against a raw
 * producer.
 */
package io.streamtune.bench.ingest;
