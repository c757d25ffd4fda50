/**
 * Task heads (classification, segmentation, detection): graph surgery, losses, validation metrics
 * and export layouts.
 */
package io.streamtune.trainer.task;
