/**
 * Style transfer, the fourth task: a feed-forward image-transformation network trained with a
 * perceptual loss that a frozen pretrained backbone computes (content on one deep feature map,
 * style on the Gram matrices of several, total variation), exported to ONNX like every other model.
 */
package io.streamtune.trainer.style;
