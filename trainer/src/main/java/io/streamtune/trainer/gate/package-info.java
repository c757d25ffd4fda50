/**
 * The gate: whether a candidate replaces production, decided on the gate split by evidence (paired
 * bootstrap intervals, an exact McNemar test for accuracy, minimum sample counts), never by a point
 * estimate.
 */
package io.streamtune.trainer.gate;
