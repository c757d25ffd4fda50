package io.streamtune.bench.trainer;

import io.streamtune.trainer.pretrain.FashionMnist;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What both Fashion-MNIST benches do before measuring: read {@code --key=value} arguments over
 * defaults, check the dataset is installed, and keep PyTorch to one thread unless told otherwise.
 */
final class FashionMnistBench {

    private FashionMnistBench() {}

    /**
     * {@code defaults} ({@code key=value} each) overlaid by the {@code --key=value} arguments;
     * exits with the usage (from {@code name} and the defaults) on another argument, or naming the
     * missing package.
     */
    static Map<String, String> prepare(String[] args, String name, String... defaults) {
        Map<String, String> options = new LinkedHashMap<>();
        StringBuilder usage = new StringBuilder(name);
        for (String d : defaults) {
            int eq = d.indexOf('=');
            options.put(d.substring(0, eq), d.substring(eq + 1));
            usage.append(" [--").append(d).append(']');
        }
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
            options.put(a.substring(2, eq), a.substring(eq + 1));
        }
        if (!FashionMnist.available(FashionMnist.DEBIAN_DIR)) {
            System.err.println(
                    "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
            System.exit(1);
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return options;
    }
}
