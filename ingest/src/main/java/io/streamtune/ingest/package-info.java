/**
 * Ingest: labelled images in from HTTP, Kafka and dataset folders, validated, with Kafka Streams
 * training triggers.
 */
package io.streamtune.ingest;
