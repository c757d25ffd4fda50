package io.streamtune.deploy.cli;

import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.LabellingRequested;
import io.streamtune.contracts.Topic;
import io.streamtune.contracts.Topics;
import io.streamtune.ingest.bulk.LabelStudioTasks;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelling}: the frames inference picked for labelling, for a labelling tool. */
@Command(
        name = "labelling",
        mixinStandardHelpOptions = true,
        description = "Frames picked for labelling: export --model NAME --out tasks.json",
        subcommands = {LabellingCommand.Export.class})
public final class LabellingCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** {@code labelling export}: every open request of a model as Label Studio tasks. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Write a model's labelling requests as Label Studio tasks with pre-annotations"
                            + " (import the file in Label Studio; export its annotations as JSON"
                            + " and bring them back with 'import --format labelstudio').")
    static final class Export implements Callable<Integer> {

        @Option(names = "--model", required = true, description = "model name")
        String model;

        @Option(names = "--out", required = true, description = "tasks JSON file to write")
        Path out;

        @Option(
                names = "--bootstrap-servers",
                defaultValue = "127.0.0.1:9092",
                description = "Kafka (default: ${DEFAULT-VALUE}, the local stack's broker)")
        String bootstrap;

        @Option(
                names = "--set",
                description = "any Kafka setting, e.g. --set topic.prefix=dev. or kafka.*")
        Map<String, String> settings = new HashMap<>();

        @Option(
                names = "--timeout",
                defaultValue = "30s",
                description = "longest wait for Kafka (default: ${DEFAULT-VALUE})")
        String timeout;

        @Override
        public Integer call() throws Exception {
            Map<String, String> values = new HashMap<>(settings);
            values.put("kafka.bootstrap.servers", bootstrap);
            values.put("labelling.export.timeout", timeout);
            ConfigSource config = ConfigSource.of(values);
            KafkaSettings kafka = KafkaSettings.from(config);
            Duration wait = config.duration("labelling.export.timeout", Duration.ofSeconds(30));
            List<LabellingRequested> requests =
                    read(kafka, kafka.topic(Topics.LABELLING_REQUESTS), model, wait);
            Files.writeString(
                    out,
                    JsonSerde.MAPPER
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(
                                    LabelStudioTasks.of(
                                            requests, LabelStudioTasks.ControlNames.defaults())));
            System.err.println(
                    "labelling: "
                            + requests.size()
                            + " tasks of model "
                            + model
                            + " written to "
                            + out);
            return 0;
        }
    }

    /**
     * The latest request per key of {@code model} on the topic, oldest first: everything from the
     * beginning to the end offsets as of now.
     */
    static List<LabellingRequested> read(
            KafkaSettings kafka,
            Topic<String, LabellingRequested> requests,
            String model,
            Duration wait) {
        String topic = requests.name();
        Map<String, LabellingRequested> latest = new LinkedHashMap<>();
        String prefix = model + "/";
        try (var consumer =
                KafkaSettings.assignedConsumers(kafka.consumer("labelling-export", "unused"))
                        .get()) {
            var infos = consumer.partitionsFor(topic, wait);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + topic + " not found: has inference run with labelling enabled?");
            }
            List<TopicPartition> parts = new ArrayList<>();
            infos.forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, wait);
            long deadline = System.nanoTime() + wait.toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p, wait) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "reading " + topic + " took longer than " + wait);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(prefix)) {
                        continue;
                    }
                    latest.remove(key);
                    if (r.value() != null) {
                        try {
                            latest.put(key, requests.value(r.value()));
                        } catch (RuntimeException e) {
                            System.err.println(
                                    "labelling: skipped unreadable request "
                                            + key
                                            + " ("
                                            + r.topic()
                                            + "-"
                                            + r.partition()
                                            + "@"
                                            + r.offset()
                                            + "): "
                                            + e.getMessage());
                        }
                    }
                }
            }
        }
        return new ArrayList<>(latest.values());
    }
}
