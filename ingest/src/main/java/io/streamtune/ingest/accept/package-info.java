/**
 * The one acceptance path shared by HTTP, Kafka intake and bulk import: validate, dedupe, write
 * durably or dead-letter.
 */
package io.streamtune.ingest.accept;
