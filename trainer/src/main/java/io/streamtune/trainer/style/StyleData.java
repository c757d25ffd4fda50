package io.streamtune.trainer.style;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageAccepted;
import io.streamtune.trainer.dataset.DatasetStore;
import io.streamtune.trainer.dataset.Split;
import io.streamtune.vision.artifact.Sha256;
import io.streamtune.vision.image.ImageDecoder;
import io.streamtune.vision.image.ImageLimits;
import io.streamtune.vision.image.ImageRejectedException;
import io.streamtune.vision.image.RgbImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stylization model's dataset: its style images (labelled {@code style}) and every other image
 * accepted for it as content, split by sample id like every dataset (train, selection for early
 * stopping, gate).
 *
 * @param styles the style images, in sample-id order
 * @param train content to train on
 * @param selection content that picks the best step
 * @param gate content only the gate sees
 * @param skipped samples that could not be decoded
 * @param skippedStyles how many of them were labelled style
 * @param fingerprint SHA-256 over the sorted sample ids and labels
 */
public record StyleData(
        List<RgbImage> styles,
        List<RgbImage> train,
        List<RgbImage> selection,
        List<RgbImage> gate,
        int skipped,
        int skippedStyles,
        String fingerprint) {

    private static final Logger LOG = LoggerFactory.getLogger(StyleData.class);

    /**
     * {@code per} random square crops of each image (a third to all of its shorter side): more
     * content views from a few photographs.
     */
    public static List<RgbImage> crops(List<RgbImage> images, int per, java.util.Random r) {
        List<RgbImage> crops = new ArrayList<>();
        for (RgbImage img : images) {
            int side = Math.min(img.width(), img.height());
            for (int i = 0; i < per; i++) {
                int c = side / 3 + r.nextInt(side - side / 3 + 1);
                int x0 = r.nextInt(img.width() - c + 1), y0 = r.nextInt(img.height() - c + 1);
                byte[] px = new byte[c * c * 3];
                for (int y = 0; y < c; y++) {
                    System.arraycopy(
                            img.pixels(), ((y0 + y) * img.width() + x0) * 3, px, y * c * 3, c * 3);
                }
                crops.add(new RgbImage(c, c, px));
            }
        }
        return crops;
    }

    /**
     * Whether the store's model is a stylization model: it holds a style image, or only content
     * images (a stylization model whose style has not arrived yet). A stray content image among
     * labelled ones does not turn a classifier into a stylizer.
     */
    public static boolean isStylization(DatasetStore store) {
        boolean content = false, other = false;
        for (String id : store.sampleIds()) {
            Optional<LabelledImageAccepted> s = store.load(id);
            if (s.isEmpty()) {
                continue;
            }
            Label label = s.get().label();
            if (label instanceof Label.StyleLabel) {
                return true;
            }
            if (label instanceof Label.ContentLabel) {
                content = true;
            } else {
                other = true;
            }
        }
        return content && !other;
    }

    /** Loads and decodes everything in the store. */
    public static StyleData load(DatasetStore store, int gatePercent, int selectionPercent) {
        ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());
        List<RgbImage> styles = new ArrayList<>();
        List<RgbImage> train = new ArrayList<>();
        List<RgbImage> selection = new ArrayList<>();
        List<RgbImage> gate = new ArrayList<>();
        int skipped = 0, skippedStyles = 0;
        JsonSerde<Label> labels = JsonSerde.of(Label.class);
        TreeMap<String, byte[]> sorted = new TreeMap<>();
        for (String id : store.sampleIds()) {
            Optional<LabelledImageAccepted> loaded = store.load(id);
            if (loaded.isEmpty()) {
                skipped++;
                continue;
            }
            LabelledImageAccepted s = loaded.get();
            try {
                RgbImage image = decoder.decode(s.image());
                sorted.put(id, labels.toBytes(s.label()));
                if (s.label() instanceof Label.StyleLabel) {
                    styles.add(image);
                    continue;
                }
                switch (Split.of(id, gatePercent, selectionPercent)) {
                    case TRAIN -> train.add(image);
                    case SELECTION -> selection.add(image);
                    case GATE -> gate.add(image);
                }
            } catch (ImageRejectedException | RuntimeException e) {
                skipped++;
                boolean style = s.label() instanceof Label.StyleLabel;
                if (style) {
                    skippedStyles++;
                }
                LOG.warn(
                        "skipping {} {} of {}: {}",
                        style ? "style image" : "sample",
                        id,
                        store.model(),
                        e.getMessage());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sorted.forEach(
                (id, label) -> {
                    bytes.writeBytes(id.getBytes(StandardCharsets.UTF_8));
                    bytes.write(0);
                    bytes.writeBytes(label);
                    bytes.write('\n');
                });
        return new StyleData(
                List.copyOf(styles),
                List.copyOf(train),
                List.copyOf(selection),
                List.copyOf(gate),
                skipped,
                skippedStyles,
                Sha256.hex(bytes.toByteArray()));
    }
}
