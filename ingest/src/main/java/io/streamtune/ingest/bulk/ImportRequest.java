package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Names;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to import.
 *
 * @param model model/dataset the samples go to
 * @param format dataset layout
 * @param root dataset root folder
 * @param annotations COCO JSON file (COCO only; default {@code root/annotations.json})
 * @param task label kind for COCO and YOLO
 * @param inFlight samples written concurrently
 * @param maxRate samples per second at most, 0 = unlimited
 */
public record ImportRequest(
        String model,
        DatasetFormat format,
        Path root,
        Path annotations,
        TaskHint task,
        int inFlight,
        double maxRate) {

    public ImportRequest {
        Names.requireModelName(model);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(task, "task");
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be >= 1");
        }
        if (maxRate < 0) {
            throw new IllegalArgumentException("maxRate must be >= 0");
        }
    }

    /** The dataset's entries. */
    public java.util.List<DatasetItem> read() throws DatasetFormatException {
        return switch (format) {
            case IMAGEFOLDER -> ImageFolderReader.read(root);
            case COCO ->
                    CocoReader.read(
                            annotations == null ? root.resolve("annotations.json") : annotations,
                            root,
                            task);
            case YOLO -> YoloReader.read(root, task);
            case VOC -> VocReader.read(root);
            case MASKS -> MaskFolderReader.read(root);
            case LABELSTUDIO -> {
                if (annotations == null) {
                    throw new DatasetFormatException(
                            "a Label Studio import needs --annotations EXPORT.json");
                }
                try {
                    Path dataUrls = java.nio.file.Files.createTempDirectory("streamtune-ls-");
                    dataUrls.toFile().deleteOnExit();
                    yield LabelStudioReader.read(annotations, root, task, dataUrls);
                } catch (java.io.IOException e) {
                    throw new DatasetFormatException(
                            "cannot make a temporary folder: " + e.getMessage(), e);
                }
            }
        };
    }
}
