/** Commands of {@code ./streamtune} that work on model files: zoo, predict, inspect. */
package io.streamtune.deploy.cli;
