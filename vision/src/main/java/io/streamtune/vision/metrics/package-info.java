/**
 * Pure evaluation metrics: classification reports, COCO-style detection mAP and segmentation mean
 * IoU.
 */
package io.streamtune.vision.metrics;
