/**
 * What every service process shares: config loading, Kafka client settings, topic provisioning,
 * health and metrics over HTTP, lifecycle.
 */
package io.streamtune.runtime;
