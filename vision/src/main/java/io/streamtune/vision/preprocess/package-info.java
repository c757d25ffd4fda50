/**
 * Pure pre-processing: stretch and letterbox resizing, channel order, normalization and NCHW batch
 * packing.
 */
package io.streamtune.vision.preprocess;
