/** Active learning: picking the production frames worth a person's labelling time. */
package io.streamtune.inference.labelling;
