/**
 * Seeded synthetic scenes (shapes on textured backgrounds) with class, box and mask labels, for
 * tests and demos.
 */
package io.streamtune.vision.synth;
