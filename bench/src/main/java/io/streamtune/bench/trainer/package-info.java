/**
 * Transfer-learning benchmark on Fashion-MNIST: pre-trained backbone vs training from scratch with
 * few labels.
 */
package io.streamtune.bench.trainer;
