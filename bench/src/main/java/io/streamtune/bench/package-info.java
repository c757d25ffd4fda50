/**
 * Benchmarks that print side-by-side ratios measured in one run: {@code ./streamtune bench <name>}.
 */
package io.streamtune.bench;
