package io.streamtune.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamtune.ingest.ImportMain;
import io.streamtune.ingest.fixtures.TestImages;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.SharedKafka;
import io.streamtune.kafka.embedded.TopicClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class KillDuringImportIT {

    private static final int IMAGES = 300;

    @Test
    void shouldLoseNothingAndDuplicateNothingWhenAnImportIsKilledAndRerun(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        for (int i = 0; i < IMAGES; i++) {
            Path file = dir.resolve("data/class" + (i % 3) + "/img" + i + ".jpg");
            Files.createDirectories(file.getParent());
            Files.write(file, TestImages.jpeg(24, 24, 5000 + i));
        }
        String prefix = SharedKafka.unique("kill") + ".";
        String topic = prefix + "images.labelled";

        Process first = importer(broker, prefix, dir, "first.log", "40");
        var partial =
                TopicClients.awaitRecords(
                        broker.bootstrapServers(),
                        topic,
                        Duration.ofSeconds(60),
                        l -> l.size() >= 60);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int atKill = TopicClients.readAll(broker.bootstrapServers(), topic).size();

        Process second = importer(broker, prefix, dir, "second.log", "0");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        var records = TopicClients.readAll(broker.bootstrapServers(), topic);
        Set<String> keys =
                records.stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                        .collect(Collectors.toSet());
        String secondLog = Files.readString(dir.resolve("second.log"));

        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(partial.size()).isGreaterThanOrEqualTo(60);
        assertThat(atKill).as("killed mid-import").isLessThan(IMAGES);
        assertThat(second.exitValue()).as(secondLog).isZero();
        assertThat(secondLog).contains(atKill + " samples already in");
        assertThat(keys).hasSize(IMAGES);
        assertThat(records).as("no duplicates").hasSize(IMAGES);
    }

    private static Process importer(
            EmbeddedKafkaBroker broker, String prefix, Path dir, String log, String rate)
            throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                ImportMain.class.getName(),
                                "--format",
                                "imagefolder",
                                "--model",
                                "kill-test",
                                "--path",
                                dir.resolve("data").toString(),
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--set",
                                "topic.prefix=" + prefix,
                                "--in-flight",
                                "8",
                                "--max-rate",
                                rate));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }
}
