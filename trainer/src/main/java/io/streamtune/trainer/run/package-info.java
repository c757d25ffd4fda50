/**
 * One training run end to end (sync, train, export, evaluate, gate, publish) and the trigger loop
 * that schedules runs.
 */
package io.streamtune.trainer.run;
