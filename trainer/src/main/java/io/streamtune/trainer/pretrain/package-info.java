/**
 * Builds the default base backbone from a source task the project has locally (Fashion-MNIST or
 * synthetic scenes).
 */
package io.streamtune.trainer.pretrain;
