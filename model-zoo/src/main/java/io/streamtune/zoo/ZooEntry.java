package io.streamtune.zoo;

import java.util.List;
import java.util.Objects;

/**
 * One pinned pretrained network: where it comes from (registry package, version, integrity, file in
 * the package), what it is (task, classes, input, preprocessing), and how it is cut and adapted on
 * import so inference can serve it as is.
 *
 * @param name the name after {@code zoo:}
 * @param task {@code detection}, {@code segmentation} or {@code classification}
 * @param summary one line for {@code zoo list}
 * @param npmPackage registry package holding the model
 * @param version pinned package version
 * @param integrity the registry's integrity hash of the package tarball (SRI, sha512)
 * @param modelFile the TF.js graph model inside the package, e.g. {@code package/models/x.json}
 * @param licence the package's licence
 * @param origin where the network itself was trained (as its converter credits it)
 * @param inputSize square input size in pixels
 * @param outputs TF tensors the graph is cut at (raw heads, before any post-processing)
 * @param adapter how those heads become a layout inference decodes
 * @param classes class names, index = class id
 * @param mean per-channel mean on the 0..1 scale
 * @param std per-channel std on the 0..1 scale ({@code 1/255} = the network takes 0..255)
 * @param featureTensor the backbone's last feature map, where the trainer cuts for a new head
 */
public record ZooEntry(
        String name,
        String task,
        String summary,
        String npmPackage,
        String version,
        String integrity,
        String modelFile,
        String licence,
        String origin,
        int inputSize,
        List<String> outputs,
        Adapter adapter,
        List<String> classes,
        float[] mean,
        float[] std,
        String featureTensor) {

    /** How an imported network's raw heads are adapted for serving. */
    public enum Adapter {
        /** CenterNet heatmap + box-size heads → YOLOv8 layout {@code [N, 4 + nc, H*W]}. */
        CENTERNET_TO_YOLO,
        /** A single sigmoid channel → two-class {@code [N, 2, H, W]} (background, foreground). */
        SIGMOID_TO_TWO_CLASS,
        /** Served as imported. */
        NONE
    }

    public ZooEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(npmPackage, "npmPackage");
        Objects.requireNonNull(version, "version");
        if (!integrity.startsWith("sha512-")) {
            throw new IllegalArgumentException(name + ": integrity must be sha512 SRI");
        }
        outputs = List.copyOf(outputs);
        classes = List.copyOf(classes);
        mean = mean.clone();
        std = std.clone();
    }

    /** {@code package@version}. */
    public String packageSpec() {
        return npmPackage + "@" + version;
    }

    /** The file name npm gives the tarball: scope and name joined by '-'. */
    public String tarballName() {
        return npmPackage.replace("@", "").replace('/', '-') + "-" + version + ".tgz";
    }
}
