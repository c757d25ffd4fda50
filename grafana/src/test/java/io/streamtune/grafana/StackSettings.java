package io.streamtune.grafana;

import java.util.Map;

/** Service settings that make the demo train quickly enough for a test. */
final class StackSettings {

    static final int IMAGE_SIZE = 32;

    private StackSettings() {}

    static Map<String, String> fastDemo() {
        return Map.ofEntries(
                Map.entry("http.auth.enabled", "false"),
                Map.entry("inference.model", "shapes"),
                Map.entry("trigger.threshold", "60"),
                Map.entry("trainer.input.size", "32"),
                Map.entry("trainer.base.default", "synthetic"),
                Map.entry("trainer.pretrain.eager", "true"),
                Map.entry("trainer.pretrain.samples", "600"),
                Map.entry("trainer.pretrain.epochs", "2"),
                Map.entry("trainer.epochs.head", "3"),
                Map.entry("trainer.epochs.finetune", "1"),
                // Quality is another test's business: here any first model may publish.
                Map.entry("trainer.gate.floor", "0"),
                // drift windows short enough to be judged while the test runs
                Map.entry("drift.window", "10s"),
                Map.entry("drift.window.min.frames", "10"));
    }
}
