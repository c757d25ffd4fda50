/**
 * The Kafka intake: labelled images as JSON from producers in any language, validated and
 * forwarded.
 */
package io.streamtune.ingest.intake;
