package io.streamtune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.contracts.ClassificationsEmitted;
import io.streamtune.contracts.FrameHeaders;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Topics;
import io.streamtune.inference.InferenceConfig;
import io.streamtune.inference.InferenceService;
import io.streamtune.kafka.embedded.EmbeddedKafkaCluster;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.onnx.djl.nets.ReferenceNets;
import io.streamtune.onnx.ir.OnnxWriter;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.vision.synth.SyntheticScenes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on a real 3-broker KRaft cluster (replication 3, min.insync.replicas 2): two inference
 * instances share the frames; one is killed with SIGKILL mid-stream and, later, one broker stops.
 * Every frame must get exactly one prediction in exactly-once mode and at least one otherwise.
 */
class ClusterFailoverIT {

    private static final int FRAMES = 240;
    private static final int CAMERAS = 8;
    private static EmbeddedKafkaCluster cluster;

    @TempDir static Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedKafkaCluster.start(3, 2, Duration.ofMinutes(4));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldPredictEveryFrameExactlyOnceThroughAnInstanceCrashAndABrokerLoss() throws Exception {
        Map<String, Integer> counts = runScenario("exactly-once");

        assertThat(counts).hasSize(FRAMES);
        assertThat(counts.values()).as("predictions per frame").containsOnly(1);
    }

    @Test
    void shouldPredictEveryFrameAtLeastOnceThroughAnInstanceCrashAndABrokerLoss() throws Exception {
        Map<String, Integer> counts = runScenario("at-least-once");

        assertThat(counts).hasSize(FRAMES);
        assertThat(counts.values()).allMatch(n -> n >= 1);
    }

    private Map<String, Integer> runScenario(String delivery) throws Exception {
        String prefix = SharedKafka.unique("failover") + ".";
        Path model = dir.resolve(prefix + "onnx");
        Files.write(
                model,
                OnnxWriter.toBytes(
                        ReferenceNets.mobilenetV2(32, 3, ReferenceNets.BatchNormStyle.FOLDED, 5)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        settings.put("topic.prefix", prefix);
        settings.put("topic.replication.factor", "3");
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("inference.model", "failover");
        settings.put("inference.model.file", model.toString());
        settings.put("inference.model.follow", "false");
        settings.put("inference.model.task", "classification");
        settings.put("inference.model.classes", "circle,square,triangle");
        settings.put("inference.model.input.width", "32");
        settings.put("inference.delivery", delivery);
        settings.put("inference.batch.max.size", "8");
        // A crashed member is noticed after the session timeout: 10 s instead of the default 45 s.
        settings.put("kafka.session.timeout.ms", "10000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        settings.put("inference.artifacts.dir", dir.resolve(prefix + "artifacts").toString());
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.of(settings));

        Map<String, String> first = new HashMap<>(settings);
        first.put("instance.id", "inference-a");
        Process second = null;
        try (var a = InferenceService.start(InferenceConfig.from(ConfigSource.of(first)));
                var producer = new KafkaProducer<byte[], byte[]>(kafka.producer("cameras"))) {
            second = startChild(settings, dir.resolve(prefix + "b.log"));
            awaitTwoMembersWithPartitions(kafka, "inference-failover");
            long brokerStoppedAt = 0;
            for (int i = 0; i < FRAMES; i++) {
                if (i == FRAMES / 3) {
                    second.destroyForcibly(); // SIGKILL: no shutdown hook, an open transaction
                    // left behind
                }
                if (i == 2 * FRAMES / 3) {
                    cluster.stopNode(2);
                    brokerStoppedAt = System.currentTimeMillis();
                }
                String camera = "cam-" + (i % CAMERAS);
                var headers = new RecordHeaders();
                headers.add(FrameHeaders.FRAME_ID, ("frame-" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(
                        new ProducerRecord<>(
                                kafka.topic(Topics.FRAMES.name()),
                                null,
                                camera.getBytes(StandardCharsets.UTF_8),
                                SyntheticScenes.single(i, 32, 32).png(),
                                headers));
                Thread.sleep(25);
            }
            producer.flush();
            Map<String, Integer> counts = collect(kafka, Duration.ofMinutes(3));
            System.out.printf(
                    "[%s] frames %d, predicted %d distinct, %d in all; longest pause between "
                            + "predictions (rebalance after the kill, broker loss %s): %d ms%n",
                    delivery,
                    FRAMES,
                    counts.size(),
                    counts.values().stream().mapToInt(Integer::intValue).sum(),
                    brokerStoppedAt > 0 ? "included" : "not reached",
                    longestPause);
            return counts;
        } finally {
            if (second != null) {
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            cluster.startNode(2);
        }
    }

    private long longestPause;

    private Map<String, Integer> collect(KafkaSettings kafka, Duration timeout) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Instant> emitted = new ArrayList<>();
        var serde = JsonSerde.of(ClassificationsEmitted.class);
        Map<String, Object> props = kafka.consumer("check", SharedKafka.unique("check"));
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            consumer.subscribe(List.of(kafka.topic(Topics.PREDICTIONS_CLASSIFICATIONS.name())));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    var p = serde.fromBytes(r.value());
                    counts.merge(p.frame().frameId(), 1, Integer::sum);
                    emitted.add(p.emittedAt());
                }
                if (counts.size() >= FRAMES && settleUntil == Long.MAX_VALUE) {
                    settleUntil =
                            System.nanoTime() + Duration.ofSeconds(5).toNanos(); // late duplicates
                }
            }
        }
        emitted.sort(null);
        longestPause = 0;
        for (int i = 1; i < emitted.size(); i++) {
            longestPause =
                    Math.max(
                            longestPause,
                            Duration.between(emitted.get(i - 1), emitted.get(i)).toMillis());
        }
        return counts;
    }

    private static void awaitTwoMembersWithPartitions(KafkaSettings kafka, String group)
            throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.admin("group-check"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                java.util.Collection<org.apache.kafka.clients.admin.MemberDescription> members;
                try {
                    members =
                            admin.describeConsumerGroups(List.of(group))
                                    .all()
                                    .get()
                                    .get(group)
                                    .members();
                } catch (java.util.concurrent.ExecutionException e) {
                    members = List.of(); // the group does not exist until its first member joins
                }
                if (members.size() == 2
                        && members.stream()
                                .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the second inference instance did not join group " + group);
    }

    private static Process startChild(Map<String, String> settings, Path log) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx1g",
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.streamtune.inference.Main"));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        cmd.add("--instance.id=inference-b");
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
