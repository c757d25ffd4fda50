package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * ImageFolder: {@code root/<class>/<image>} (nested folders inside a class folder are included).
 */
public final class ImageFolderReader {

    private ImageFolderReader() {}

    /** Every image under a class folder, sorted by class then path. */
    public static List<DatasetItem> read(Path root) throws DatasetFormatException {
        DatasetFiles.requireDirectory(root, "dataset root");
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs =
                    s.filter(Files::isDirectory)
                            .filter(d -> !d.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new DatasetFormatException("cannot list " + root + ": " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new DatasetFormatException(
                    "no class folders in " + root + " (expected root/<class>/<image>)");
        }
        List<DatasetItem> items = new ArrayList<>();
        for (Path dir : classDirs) {
            String className = dir.getFileName().toString();
            Label label;
            try {
                label = new Label.ClassLabel(className);
            } catch (IllegalArgumentException e) {
                for (Path image : DatasetFiles.images(dir)) {
                    items.add(
                            DatasetItem.broken(
                                    DatasetFiles.relative(root, image),
                                    image,
                                    RejectReason.BAD_LABEL,
                                    e.getMessage()));
                }
                continue;
            }
            for (Path image : DatasetFiles.images(dir)) {
                items.add(DatasetItem.of(DatasetFiles.relative(root, image), image, label));
            }
        }
        return items;
    }
}
