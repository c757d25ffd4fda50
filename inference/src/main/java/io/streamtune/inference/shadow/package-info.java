/**
 * Live signals and shadow serving: per-version counts of what production did on live frames, and a
 * candidate run beside production on a share of them (never delaying production, on one
 * low-priority thread that drops work when busy), compared frame by frame, reported on {@code
 * models.live} for the trainer's promotion and rollback decisions.
 */
package io.streamtune.inference.shadow;
