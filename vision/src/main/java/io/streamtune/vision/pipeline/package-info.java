/** The image-to-prediction path that inference and evaluation share: preprocess, run, decode. */
package io.streamtune.vision.pipeline;
