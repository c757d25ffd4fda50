/**
 * Export with metadata, gating against production, publishing through the artifact store, version
 * retention.
 */
package io.streamtune.trainer.publish;
