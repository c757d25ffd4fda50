/**
 * Where model files live between the trainer and inference: chunked on a compacted Kafka topic or
 * on a shared filesystem, always checked by SHA-256.
 */
package io.streamtune.vision.artifact;
