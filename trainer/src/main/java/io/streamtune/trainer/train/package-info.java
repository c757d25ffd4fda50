/**
 * The two-phase fine-tuning schedule on DJL: cached-feature head training, then partial unfreezing
 * with early stopping.
 */
package io.streamtune.trainer.train;
