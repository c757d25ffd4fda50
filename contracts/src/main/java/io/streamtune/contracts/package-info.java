/**
 * Topic names and configs, message records and their serdes: the only coupling between services.
 */
package io.streamtune.contracts;
