package io.streamtune.deploy;

import io.streamtune.deploy.demo.PhotoSet;
import io.streamtune.deploy.demo.ProductPhotos;
import java.io.IOException;
import java.nio.file.Path;

/** Finds or fetches the default demo photographs, saying what it does in one line each. */
final class PhotoSetSupport {

    private PhotoSetSupport() {}

    /**
     * The default photo folder, fetched once; null (with the reason printed) when it cannot be had.
     */
    static Path defaultPhotos() {
        Path found = PhotoSet.findDefault();
        if (found != null) {
            return found;
        }
        System.out.println(
                "fetching the demo photographs (Debian's python3-skimage sample images) once ...");
        try {
            return PhotoSet.fetchDefault();
        } catch (IOException e) {
            System.err.println(
                    "error: no demo photographs: "
                            + e.getMessage()
                            + "; pass --camera-dir DIR with JPEG/PNG files");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The product photos the COCO demo labels, fetched once; null (with the reason printed: the
     * demo then serves the COCO detector alone) when they cannot be had.
     */
    static ProductPhotos.Items products() {
        try {
            Path dir = ProductPhotos.find();
            if (dir == null) {
                System.out.println(
                        "fetching the demo's product photos (Debian's dataset-fashion-mnist) once ...");
                dir = ProductPhotos.fetch();
            }
            return ProductPhotos.load(dir, 1000);
        } catch (IOException e) {
            System.out.println(
                    "no product photos for the labelling tool ("
                            + e.getMessage()
                            + "): the COCO detector serves alone");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
