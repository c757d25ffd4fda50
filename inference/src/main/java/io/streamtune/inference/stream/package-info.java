/**
 * The frame pipeline: consume frames, group them into micro-batches, run them through the serving
 * model and produce predictions.
 */
package io.streamtune.inference.stream;
