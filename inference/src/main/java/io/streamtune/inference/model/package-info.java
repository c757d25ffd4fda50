/**
 * The serving model: loaded versions, the slot batches borrow them from, and hot swaps to newly
 * published versions.
 */
package io.streamtune.inference.model;
