package io.streamtune.deploy.demo;

import io.streamtune.trainer.pretrain.FashionMnist;
import io.streamtune.vision.synth.PastedObjects;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real product photos for the COCO demo's labelling tool: Fashion-MNIST's trousers, pullovers,
 * sneakers and bags (classes the COCO detector does not know), from Debian's {@code
 * dataset-fashion-mnist} — installed, or unpacked once under {@code
 * ~/.cache/streamtune/fashion-mnist}. The labeller pastes items of the training split into the
 * cameras' photographs; the cameras show items of the test split, so what the fine-tuned model
 * finds live is nothing it was trained on.
 */
public final class ProductPhotos {

    private static final int[] LABELS = {1, 2, 7, 8};

    private static final String DATA = "usr/share/datasets/fashion-mnist";

    /**
     * The items, by class.
     *
     * @param classes class names, index = position in the lists
     * @param labelled items the labeller pastes (training split)
     * @param filmed items the cameras show (test split)
     */
    public record Items(
            List<String> classes,
            List<List<PastedObjects.Item>> labelled,
            List<List<PastedObjects.Item>> filmed) {}

    private ProductPhotos() {}

    private static Path cacheRoot() {
        return Path.of(System.getProperty("user.home"), ".cache", "streamtune", "fashion-mnist");
    }

    /** The installed or unpacked data folder, or null. */
    public static Path find() {
        for (Path p : List.of(FashionMnist.DEBIAN_DIR, cacheRoot().resolve(DATA))) {
            if (FashionMnist.available(p)) {
                return p;
            }
        }
        return null;
    }

    /** Unpacks {@code dataset-fashion-mnist} with apt's download; returns the data folder. */
    public static Path fetch() throws IOException, InterruptedException {
        DebianPackages.unpack(
                "dataset-fashion-mnist",
                cacheRoot(),
                "a Debian-based system with apt is needed for the demo's product photos");
        return cacheRoot().resolve(DATA);
    }

    /** Up to {@code perClass} items of each class from each split. */
    public static Items load(Path dir, int perClass) throws IOException {
        List<String> names = new ArrayList<>();
        for (int l : LABELS) {
            names.add(FashionMnist.CLASSES[l]);
        }
        return new Items(
                names,
                items(FashionMnist.read(dir, "train", 60_000), perClass),
                items(FashionMnist.read(dir, "t10k", 10_000), perClass));
    }

    private static List<List<PastedObjects.Item>> items(FashionMnist.Split split, int perClass) {
        List<List<PastedObjects.Item>> out = new ArrayList<>();
        for (int l : LABELS) {
            List<PastedObjects.Item> items = new ArrayList<>();
            for (int i = 0; i < split.size() && items.size() < perClass; i++) {
                if (split.labels()[i] == l) {
                    items.add(
                            new PastedObjects.Item(
                                    FashionMnist.CLASSES[l], split.pixels()[i], 28, 28));
                }
            }
            out.add(items);
        }
        return out;
    }
}
