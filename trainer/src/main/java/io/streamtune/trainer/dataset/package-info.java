/**
 * The local, incrementally synchronised copy of a model's labelled images, and its train/validation
 * split.
 */
package io.streamtune.trainer.dataset;
