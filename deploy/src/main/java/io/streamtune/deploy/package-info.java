/**
 * The {@code streamtune} command: the one-command local stack and the operator commands around it.
 */
package io.streamtune.deploy;
