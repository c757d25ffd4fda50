package io.streamtune.trainer.run;

/**
 * A dataset that cannot be trained on as it is (too few usable samples, one class, content without
 * a style), or a configured base model that cannot be used: a known failure, reported in one line
 * without a stack trace.
 */
final class DatasetProblem extends IllegalStateException {

    DatasetProblem(String message) {
        super(message);
    }
}
