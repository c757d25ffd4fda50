/**
 * Bulk import of datasets exported by labelling tools: ImageFolder, COCO, YOLO, Pascal VOC and mask
 * PNG folders.
 */
package io.streamtune.ingest.bulk;
