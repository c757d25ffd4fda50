/**
 * Reference architectures (torchvision-shaped ResNet-18 and MobileNetV2) built directly as IR
 * graphs.
 */
package io.streamtune.onnx.djl.nets;
