package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mask PNG folders: {@code images/<name>.jpg|png}, {@code masks/<name>.png} and {@code classes.txt}
 * (line {@code i} = class of mask value {@code i}). Masks are 8-bit grey or palette PNGs read by
 * index, 255 = ignore; size and values are checked by the validator.
 */
public final class MaskFolderReader {

    private MaskFolderReader() {}

    public static List<DatasetItem> read(Path root) throws DatasetFormatException {
        Path images = DatasetFiles.requireDirectory(root.resolve("images"), "images folder");
        Path masks = DatasetFiles.requireDirectory(root.resolve("masks"), "masks folder");
        Path classesFile = root.resolve("classes.txt");
        if (!Files.isRegularFile(classesFile)) {
            throw new DatasetFormatException(
                    "no classes.txt in " + root + " (line i = class of mask value i)");
        }
        List<String> classes = DatasetFiles.classList(classesFile);
        List<DatasetItem> items = new ArrayList<>();
        for (Path image : DatasetFiles.images(images)) {
            String source = DatasetFiles.relative(root, image);
            Path rel = images.relativize(image);
            Path mask = masks.resolve(rel).resolveSibling(DatasetFiles.stem(image) + ".png");
            if (!Files.isRegularFile(mask)) {
                items.add(
                        DatasetItem.broken(
                                source,
                                image,
                                RejectReason.MISSING_FILE,
                                "no mask " + DatasetFiles.relative(root, mask) + " for " + source));
                continue;
            }
            items.add(
                    DatasetItem.of(
                            source,
                            image,
                            (w, h) -> {
                                try {
                                    Path real = mask.toRealPath();
                                    if (!real.startsWith(root.toRealPath())
                                            || !Files.isRegularFile(real)) {
                                        throw new io.streamtune.ingest.validate
                                                .SampleRejectedException(
                                                RejectReason.OUTSIDE_DATASET,
                                                "mask "
                                                        + mask.getFileName()
                                                        + " refused: not a regular file inside the"
                                                        + " dataset folder");
                                    }
                                    return new Label.MaskLabel(Files.readAllBytes(real), classes);
                                } catch (IOException e) {
                                    throw new io.streamtune.ingest.validate.SampleRejectedException(
                                            RejectReason.MISSING_FILE,
                                            "cannot read mask "
                                                    + mask.getFileName()
                                                    + ": "
                                                    + e.getMessage());
                                } catch (IllegalArgumentException e) {
                                    throw new io.streamtune.ingest.validate.SampleRejectedException(
                                            RejectReason.BAD_MASK, e.getMessage());
                                }
                            }));
        }
        return items;
    }
}
