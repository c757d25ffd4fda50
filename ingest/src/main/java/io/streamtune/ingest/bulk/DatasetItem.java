package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of a dataset: an image file and how to build its label once the image's size is known
 * (YOLO coordinates are relative, masks are drawn at the image's size). An entry the reader already
 * found broken carries a {@link #problem()} instead.
 *
 * @param source path relative to the dataset root, for progress, logs and the dead letter's key
 * @param image the image file
 * @param labels builds the label for an image of the given size; null when {@code problem} is set
 * @param problem why the entry cannot be imported, or null
 * @param detail what exactly is wrong, or null
 */
public record DatasetItem(
        String source, Path image, LabelMaker labels, RejectReason problem, String detail) {

    /** Builds a label for an image of a given size. */
    @FunctionalInterface
    public interface LabelMaker {
        Label make(int width, int height) throws SampleRejectedException;
    }

    public DatasetItem {
        Objects.requireNonNull(source, "source");
        if ((labels == null) == (problem == null)) {
            throw new IllegalArgumentException("exactly one of labels and problem must be set");
        }
    }

    static DatasetItem of(String source, Path image, LabelMaker labels) {
        return new DatasetItem(source, image, labels, null, null);
    }

    static DatasetItem of(String source, Path image, Label label) {
        return new DatasetItem(source, image, (w, h) -> label, null, null);
    }

    static DatasetItem broken(String source, Path image, RejectReason problem, String detail) {
        return new DatasetItem(source, image, null, problem, detail);
    }
}
