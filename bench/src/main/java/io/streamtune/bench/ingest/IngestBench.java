package io.streamtune.bench.ingest;

import io.streamtune.contracts.BinaryIntake;
import io.streamtune.contracts.JsonSerde;
import io.streamtune.contracts.Label;
import io.streamtune.contracts.LabelledImageSubmitted;
import io.streamtune.contracts.Topics;
import io.streamtune.ingest.IngestConfig;
import io.streamtune.ingest.IngestService;
import io.streamtune.kafka.embedded.EmbeddedKafkaBroker;
import io.streamtune.kafka.embedded.ServiceSettings;
import io.streamtune.runtime.ConfigSource;
import io.streamtune.runtime.KafkaSettings;
import io.streamtune.runtime.TopicProvisioner;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Ingest throughput from one run, printed side by side:
 *
 * <ol>
 *   <li>HTTP single uploads: labelled ~100 KB JPEGs per second through {@code POST
 *       /v1/models/{m}/images} (raw body, {@code ?class=}), each answered only after the Kafka ack,
 *       from {@code --clients} concurrent clients;
 *   <li>HTTP batch uploads: the same through {@code /images/batch} (NDJSON, {@code --batch} per
 *       request);
 *   <li>raw producer: the intake JSON records written by a plain durable producer with the settings
 *       ingest's own producer uses (acks=all, idempotent, uncompressed, 1 MiB batches);
 *   <li>Kafka intake path: the same records consumed from the intake topic, validated and written
 *       to the labelled topic (steady state: first to last labelled record), as a ratio to the raw
 *       producer;
 *   <li>binary records: the same images sent the binary way ({@link BinaryIntake}: the image as the
 *       value, the label in headers), by the raw producer and through the intake path;
 *   <li>plain copy: the same records consumed and written back unread by a bare consumer and
 *       producer, the floor for any Kafka-to-Kafka path on this machine; the intake path's ratio to
 *       it is what validation costs;
 *   <li>the CPU per image, on one thread, of what any validating intake must do (parse and base64
 *       decode, SHA-256 of the image), and the ceiling it implies: the images/s a plain copy plus
 *       exactly that work would reach with every core busy, as a ratio to the raw producer.
 * </ol>
 *
 * <p>Every image is distinct (a JPEG comment segment carries a counter), so nothing is deduplicated
 * away. Broker, service and clients share this JVM, so "CPU ms/img" is everything one image costs
 * on this machine; "CPU-bound/s" is what the cores would sustain if this process had them to itself
 * (the machine may be shared). Options: {@code --seconds=10 --clients=8 --batch=50 --records=5000
 * --image.check=header --http.api.port=0 --http=true --repeat=3} ({@code -1} serves the API on the
 * admin server's 4 threads, {@code 0} on a server of its own with 16; {@code --http=false} skips
 * the HTTP phases), and any {@code --intake.*} setting of the service.
 */
public final class IngestBench {

    static {
        io.streamtune.runtime.DjlOffline.enforce();
    }

    private static final String TOKEN = "bench-token-0123456789abcdef";

    private IngestBench() {}

    /** Service settings passed through from the command line ({@code --intake.*}). */
    private static final Map<String, String> SERVICE_OPTIONS = new java.util.HashMap<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> parsed = ConfigSource.parseArgs(args);
        parsed.forEach(
                (k, v) -> {
                    if (k.startsWith("intake.")) {
                        SERVICE_OPTIONS.put(k, v);
                    }
                });
        ConfigSource opts = ConfigSource.of(parsed);
        int seconds = opts.integer("seconds", 10, 1, 3600);
        int clients = opts.integer("clients", 8, 1, 256);
        int batch = opts.integer("batch", 50, 1, 10_000);
        int records = opts.integer("records", 5000, 1, 1_000_000);
        String check = opts.string("image.check", "header");
        String apiPort = opts.string("http.api.port", "0");
        boolean withHttp = opts.bool("http", true);
        int repeat = opts.integer("repeat", 3, 1, 100);

        List<byte[]> bases = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bases.add(jpegOfAbout(100_000, 42 + i));
        }
        double meanKb = bases.stream().mapToInt(b -> b.length).average().orElse(0) / 1024;
        System.out.printf(
                Locale.ROOT,
                "ingest bench: %d cores, JPEGs of %.0f KB, image.check=%s, http.api.port=%s, "
                        + "%d s per HTTP phase%n",
                Runtime.getRuntime().availableProcessors(),
                meanKb,
                check,
                apiPort,
                seconds);

        Path state = Files.createTempDirectory("ingest-bench-state");
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().build().start(Duration.ofSeconds(60))) {
            AtomicLong counter = new AtomicLong();
            double single = Double.NaN;
            double batched = Double.NaN;
            double singleCpu = Double.NaN;
            double batchCpu = Double.NaN;
            if (withHttp)
                try (IngestService service =
                        IngestService.start(config(broker, "http.", check, state, true, apiPort))) {
                    service.shell().awaitReady(Duration.ofSeconds(60));
                    String base = service.apiUrl() + "/v1/models/bench/images";
                    // Warm-up: the JIT compiles broker, client and service code for a good while at
                    // first.
                    warmUp(
                            "HTTP uploads",
                            () -> {
                                httpSingle(base, bases, counter, clients, 4);
                                httpBatch(base + "/batch", bases, counter, 2, batch, 3);
                            });
                    progress("measuring: HTTP single uploads");
                    Phase s1 = httpSingle(base, bases, counter, clients, seconds);
                    single = s1.perSecond();
                    singleCpu = s1.cpuMs();
                    progress("measuring: HTTP batch uploads");
                    Phase b1 = httpBatch(base + "/batch", bases, counter, 2, batch, seconds);
                    batched = b1.perSecond();
                    batchCpu = b1.cpuMs();
                }

            List<byte[]> intake = new ArrayList<>(records);
            List<ProducerRecord<byte[], byte[]>> binary = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                byte[] image = unique(bases.get(i % bases.size()), counter.incrementAndGet());
                LabelledImageSubmitted submitted =
                        new LabelledImageSubmitted(
                                "bench", image, new Label.ClassLabel("c" + (i % 10)), "bench");
                intake.add(io.streamtune.contracts.Topics.IMAGES_INTAKE.bytes(submitted));
                // the binary way in: the image as the value, the label in headers
                binary.add(BinaryIntake.record("unused", null, submitted));
            }
            KafkaSettings kafka =
                    KafkaSettings.from(
                            ConfigSource.of(
                                    Map.of("kafka.bootstrap.servers", broker.bootstrapServers())));
            // Warm-up round on topics of its own: the JIT compiles the producer, consumer, broker
            // and intake code for the first thousands of records, which is not the steady state.
            int[] round = {0};
            warmUp(
                    "raw producer and intake path",
                    () ->
                            intakeRound(
                                    broker,
                                    kafka,
                                    "warm" + round[0]++,
                                    intake.subList(0, Math.min(2000, records)),
                                    binary.subList(0, Math.min(2000, records)),
                                    check,
                                    state,
                                    apiPort));
            progress("measuring: raw producer, then intake path");
            // Each path is measured `repeat` times, interleaved, and the median round is reported:
            // a single few-second phase on 2 shared cores swings by a third from one run to the
            // next.
            List<Phase> raws = new ArrayList<>();
            List<Phase> intakes = new ArrayList<>();
            List<Phase> pipes = new ArrayList<>();
            List<Phase> rawBinaries = new ArrayList<>();
            List<Phase> binaries = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                IntakeRound m =
                        intakeRound(
                                broker, kafka, "run" + r, intake, binary, check, state, apiPort);
                raws.add(m.raw());
                intakes.add(m.intake());
                pipes.add(m.pipe());
                rawBinaries.add(m.rawBinary());
                binaries.add(m.binary());
                progress(
                        String.format(
                                Locale.ROOT,
                                "round %d: raw producer %.0f/s, intake path %.0f/s, plain copy"
                                        + " %.0f/s; binary: raw producer %.0f/s, intake path %.0f/s",
                                r + 1,
                                m.raw().perSecond(),
                                m.intake().perSecond(),
                                m.pipe().perSecond(),
                                m.rawBinary().perSecond(),
                                m.binary().perSecond()));
            }
            Phase rawBinary = median(rawBinaries);
            Phase viaBinary = median(binaries);
            Phase rawPhase = median(raws);
            Phase intakePhase = median(intakes);
            Phase pipe = median(pipes);
            double raw = rawPhase.perSecond();
            double rawCpu = rawPhase.cpuMs();
            double viaIntake = intakePhase.perSecond();
            double intakeCpu = intakePhase.cpuMs();

            int cores = Runtime.getRuntime().availableProcessors();
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "%-46s %9s %8s %12s %14s%n",
                    "path",
                    "images/s",
                    "MB/s",
                    "CPU ms/img",
                    "CPU-bound/s");
            row(
                    "HTTP single upload (" + clients + " clients, ack before 2xx)",
                    single,
                    meanKb,
                    singleCpu,
                    cores);
            row(
                    "HTTP batch upload (NDJSON x" + batch + ", 2 clients)",
                    batched,
                    meanKb,
                    batchCpu,
                    cores);
            row("raw Kafka producer (intake JSON, acks=all)", raw, meanKb, rawCpu, cores);
            row(
                    "Kafka intake path (consume, validate, write)",
                    viaIntake,
                    meanKb,
                    intakeCpu,
                    cores);
            row(
                    "raw Kafka producer (binary: image + headers)",
                    rawBinary.perSecond(),
                    meanKb,
                    rawBinary.cpuMs(),
                    cores);
            row(
                    "Kafka intake path, binary records",
                    viaBinary.perSecond(),
                    meanKb,
                    viaBinary.cpuMs(),
                    cores);
            row(
                    "plain consume-and-write copy (no validation)",
                    pipe.perSecond(),
                    meanKb,
                    pipe.cpuMs(),
                    cores);
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "load average during the run: %.1f on %d cores (other processes share them)%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage(),
                    cores);
            System.out.printf(
                    Locale.ROOT,
                    "HTTP single vs 300/s target:        %.2fx measured, %.2fx CPU-bound%n",
                    single / 300,
                    cores * 1000 / singleCpu / 300);
            System.out.printf(
                    Locale.ROOT,
                    "HTTP batch vs 300/s target:         %.2fx measured, %.2fx CPU-bound%n",
                    batched / 300,
                    cores * 1000 / batchCpu / 300);
            System.out.printf(
                    Locale.ROOT,
                    "intake path / raw producer:         %.2fx measured, %.2fx CPU-bound (target >= 0.8x)%n",
                    viaIntake / raw,
                    rawCpu / intakeCpu);
            System.out.printf(
                    Locale.ROOT,
                    "binary intake / raw JSON producer:  %.2fx measured, %.2fx CPU-bound;"
                            + " / raw binary producer %.2fx%n",
                    viaBinary.perSecond() / raw,
                    rawCpu / viaBinary.cpuMs(),
                    viaBinary.perSecond() / rawBinary.perSecond());
            System.out.printf(
                    Locale.ROOT,
                    "intake path / plain copy:           %.2fx measured, %.2fx CPU-bound (the cost of"
                            + " validating)%n",
                    viaIntake / pipe.perSecond(),
                    pipe.cpuMs() / intakeCpu);
            Unskippable unavoidable = unavoidableWork(intake);
            double ceiling =
                    cores
                            * 1000
                            / (pipe.cpuMs()
                                    + (unavoidable.parseUs() + unavoidable.hashUs()) / 1000);
            System.out.printf(
                    Locale.ROOT,
                    "work no validating path can skip:   parse + base64 decode %.0f us, SHA-256 content"
                            + " hash %.0f us per image (1 thread)%n",
                    unavoidable.parseUs(),
                    unavoidable.hashUs());
            System.out.printf(
                    Locale.ROOT,
                    "ceiling, plain copy + that work:    %.0f images/s CPU-bound on %d cores ="
                            + " %.2fx the raw producer measured%n",
                    ceiling,
                    cores,
                    ceiling / raw);
        }
    }

    /**
     * CPU microseconds per image, on this thread, of what every validating intake must do whatever
     * its design: parse the intake JSON and decode the base64 image, and hash the image (the
     * content hash is the dedupe key). Each over all records, the least of 5 passes (the JIT may
     * still be compiling these paths for this thread's use during the first ones).
     */
    private static Unskippable unavoidableWork(List<byte[]> records) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        var origin = new io.streamtune.ingest.accept.Origin("kafka", "bench", 0, 0, null, null);
        List<byte[]> images = new ArrayList<>(records.size());
        double parseUs = Double.MAX_VALUE;
        double hashUs = Double.MAX_VALUE;
        long sink = 0;
        for (int pass = 0; pass < 5; pass++) {
            images.clear();
            long t0 = threads.getCurrentThreadCpuTime();
            for (byte[] r : records) {
                images.add(io.streamtune.ingest.intake.IntakeParser.parse(r, origin).image());
            }
            long t1 = threads.getCurrentThreadCpuTime();
            for (byte[] image : images) {
                sink += io.streamtune.ingest.validate.Digests.sha256Hex(image).charAt(0);
            }
            long t2 = threads.getCurrentThreadCpuTime();
            parseUs = Math.min(parseUs, (t1 - t0) / 1e3 / records.size());
            hashUs = Math.min(hashUs, (t2 - t1) / 1e3 / records.size());
        }
        hashSink = sink; // keeps the hashes from being optimized away
        return new Unskippable(parseUs, hashUs);
    }

    /** CPU microseconds per image of parsing + base64 decoding, and of the SHA-256. */
    private record Unskippable(double parseUs, double hashUs) {}

    private static volatile long hashSink;

    /** Raw producer and intake path over the same records, each on topics of its own. */
    private record IntakeRound(
            Phase raw, Phase intake, Phase pipe, Phase rawBinary, Phase binary) {}

    private static IntakeRound intakeRound(
            EmbeddedKafkaBroker broker,
            KafkaSettings kafka,
            String round,
            List<byte[]> intake,
            List<ProducerRecord<byte[], byte[]>> binary,
            String check,
            Path state,
            String apiPort)
            throws Exception {
        String rawTopic = round + ".raw.images.intake";
        String prefix = round + ".intake.";
        String intakeTopic = prefix + "images.intake";
        String pipeTopic = round + ".pipe.images.copy";
        String rawBinaryTopic = round + ".rawbin.images.intake";
        String binaryPrefix = round + ".bin.";
        String binaryTopic = binaryPrefix + "images.intake";
        try (Admin admin = Admin.create(kafka.admin("bench-admin"))) {
            // A first batch to a partition whose leader is not serving yet can stall it (see
            // TopicProvisioner), so create returns only once all are served.
            TopicProvisioner.create(
                    admin,
                    java.util.stream.Stream.of(
                                    rawTopic, intakeTopic, pipeTopic, rawBinaryTopic, binaryTopic)
                            .map(
                                    name ->
                                            new org.apache.kafka.clients.admin.NewTopic(
                                                            name, 3, (short) 1)
                                                    .configs(Topics.IMAGES_INTAKE.spec().configs()))
                            .toList(),
                    30_000);
        }
        long cpu0 = cpuNanos();
        double raw = produce(kafka, rawTopic, intake);
        double rawCpu = (cpuNanos() - cpu0) / 1e6 / intake.size();
        produce(kafka, intakeTopic, intake);
        Phase viaService = throughService(broker, prefix, intake.size(), check, state, apiPort);
        Phase copy = pipe(kafka, intakeTopic, pipeTopic, intake.size());
        cpu0 = cpuNanos();
        double rawBin = produceRecords(kafka, rawBinaryTopic, binary);
        Phase rawBinary = new Phase(rawBin, (cpuNanos() - cpu0) / 1e6 / binary.size());
        produceRecords(kafka, binaryTopic, binary);
        Phase viaBinary =
                throughService(broker, binaryPrefix, binary.size(), check, state, apiPort);
        deleteTopics(kafka, round + ".");
        return new IntakeRound(new Phase(raw, rawCpu), viaService, copy, rawBinary, viaBinary);
    }

    /**
     * Starts an ingest service on the topics under {@code prefix}, whose intake topic already holds
     * {@code count} records, and measures it from its first to its last labelled record.
     */
    private static Phase throughService(
            EmbeddedKafkaBroker broker,
            String prefix,
            int count,
            String check,
            Path state,
            String apiPort)
            throws Exception {
        try (IngestService service =
                IngestService.start(config(broker, prefix, check, state, false, apiPort))) {
            long cpu0 = cpuNanos();
            long[] cpuAtEnd = new long[1];
            double rate =
                    awaitLabelled(
                            broker.bootstrapServers(),
                            prefix + "images.labelled",
                            count,
                            () -> cpuAtEnd[0] = cpuNanos());
            return new Phase(rate, (cpuAtEnd[0] - cpu0) / 1e6 / count);
        }
    }

    /**
     * Deletes a finished round's topics: the broker's log cleaner would otherwise go on compacting
     * earlier rounds' labelled topics (hundreds of MB each) while later rounds are measured.
     */
    private static void deleteTopics(KafkaSettings kafka, String prefix) throws Exception {
        try (Admin admin = Admin.create(kafka.admin("bench-admin"))) {
            var names =
                    admin.listTopics().names().get().stream()
                            .filter(n -> n.startsWith(prefix))
                            .toList();
            admin.deleteTopics(names).all().get();
        }
    }

    /**
     * The least a Kafka-to-Kafka path can do: a consumer and a producer (ingest's settings) copying
     * each record unread, committing after each poll's writes are acknowledged.
     */
    private static Phase pipe(KafkaSettings kafka, String from, String to, int count)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread copier =
                new Thread(
                        () -> {
                            try (var consumer =
                                            new KafkaConsumer<byte[], byte[]>(
                                                    kafka.consumer(
                                                            "bench-pipe", "bench-pipe-" + to));
                                    var producer =
                                            new KafkaProducer<byte[], byte[]>(
                                                    IngestService.producerProperties(
                                                            kafka, "bench-pipe"))) {
                                consumer.subscribe(List.of(from));
                                while (!stop.get()) {
                                    var records = consumer.poll(Duration.ofMillis(200));
                                    for (ConsumerRecord<byte[], byte[]> r : records) {
                                        producer.send(new ProducerRecord<>(to, r.key(), r.value()));
                                    }
                                    producer.flush();
                                    consumer.commitSync();
                                }
                            }
                        },
                        "bench-pipe");
        long cpu0 = cpuNanos();
        long[] cpuAtEnd = new long[1];
        copier.start();
        try {
            double rate =
                    awaitLabelled(
                            kafka.bootstrapServers(), to, count, () -> cpuAtEnd[0] = cpuNanos());
            return new Phase(rate, (cpuAtEnd[0] - cpu0) / 1e6 / count);
        } finally {
            stop.set(true);
            copier.join();
        }
    }

    /** The phase with the median rate. */
    private static Phase median(List<Phase> phases) {
        List<Phase> sorted = new ArrayList<>(phases);
        sorted.sort(java.util.Comparator.comparingDouble(Phase::perSecond));
        return sorted.get(sorted.size() / 2);
    }

    /** A unit of warm-up work. */
    private interface Work {
        void run() throws Exception;
    }

    /**
     * Repeats {@code work} until the JIT has settled: on 2 cores one C2 thread works through a
     * backlog of broker, client and service methods for a minute or more, and a phase measured
     * while it does is measured against a machine with a third of its CPU taken. Settled means the
     * compilers used under 10% of a round's wall time; at most 8 rounds.
     */
    private static void warmUp(String what, Work work) throws Exception {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        for (int round = 1; round <= 8; round++) {
            long compile0 = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            work.run();
            double wallMs = (System.nanoTime() - start) / 1e6;
            double busy = (jit.getTotalCompilationTime() - compile0) / wallMs;
            progress(
                    String.format(
                            Locale.ROOT,
                            "warm-up %d (%s): JIT compilers busy %.0f%% of the round",
                            round,
                            what,
                            busy * 100));
            if (busy < 0.10) {
                return;
            }
        }
    }

    private static void progress(String what) {
        System.out.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), what);
    }

    private static IngestConfig config(
            EmbeddedKafkaBroker broker,
            String prefix,
            String check,
            Path state,
            boolean withStreams,
            String apiPort) {
        Map<String, String> values = new java.util.HashMap<>(SERVICE_OPTIONS);
        values.putAll(
                ServiceSettings.loopback(
                        broker.bootstrapServers(),
                        prefix,
                        "http.api.port",
                        apiPort,
                        "http.auth.token",
                        TOKEN,
                        "image.check",
                        check,
                        "streams.enabled",
                        Boolean.toString(withStreams),
                        "streams.state.dir",
                        state.resolve(prefix).toString()));
        return IngestConfig.from(ConfigSource.of(values));
    }

    private static void row(String name, double perSecond, double meanKb, double cpuMs, int cores) {
        System.out.printf(
                Locale.ROOT,
                "%-46s %9.0f %8.1f %12.2f %14.0f%n",
                name,
                perSecond,
                perSecond * meanKb / 1024,
                cpuMs,
                cores * 1000 / cpuMs);
    }

    /** CPU time of this process (every thread: broker, service, clients), in nanoseconds. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Throughput of a phase and the process CPU time per image during it. */
    private record Phase(double perSecond, double cpuMs) {}

    private static Phase httpSingle(
            String url, List<byte[]> bases, AtomicLong counter, int clients, int seconds)
            throws Exception {
        // Bodies are made before the clock starts so the client's own work does not eat the
        // server's CPU.
        int count = seconds * 400;
        List<byte[]> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long n = counter.incrementAndGet();
            images.add(unique(bases.get((int) (n % bases.size())), n));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(
                    pool.submit(
                            () -> {
                                int i;
                                while (System.nanoTime() < end
                                        && (i = next.getAndIncrement()) < images.size()) {
                                    var response =
                                            http.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(
                                                                            url
                                                                                    + "?class=c"
                                                                                    + (i % 10)))
                                                            .header(
                                                                    "Authorization",
                                                                    "Bearer " + TOKEN)
                                                            .header("Content-Type", "image/jpeg")
                                                            .POST(
                                                                    HttpRequest.BodyPublishers
                                                                            .ofByteArray(
                                                                                    images.get(i)))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding());
                                    (response.statusCode() == 201 ? ok : failed).incrementAndGet();
                                }
                                return null;
                            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMs = (cpuNanos() - cpuStart) / 1e6 / Math.max(1, ok.get());
        pool.shutdown();
        if (failed.get() > 0) {
            System.out.println("HTTP single: " + failed.get() + " requests failed");
        }
        return new Phase(ok.get() / elapsed, cpuMs);
    }

    private static Phase httpBatch(
            String url, List<byte[]> bases, AtomicLong counter, int clients, int batch, int seconds)
            throws Exception {
        int requests = Math.max(4, seconds * 600 / batch);
        List<String> bodies = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < batch; i++) {
                long n = counter.incrementAndGet();
                body.append("{\"image\":\"")
                        .append(
                                Base64.getEncoder()
                                        .encodeToString(
                                                unique(bases.get((int) (n % bases.size())), n)))
                        .append("\",\"label\":{\"type\":\"class\",\"className\":\"c")
                        .append(n % 10)
                        .append("\"}}\n");
            }
            bodies.add(body.toString());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(
                    pool.submit(
                            () -> {
                                int i;
                                while (System.nanoTime() < end
                                        && (i = next.getAndIncrement()) < bodies.size()) {
                                    var response =
                                            http.send(
                                                    HttpRequest.newBuilder(URI.create(url))
                                                            .header(
                                                                    "Authorization",
                                                                    "Bearer " + TOKEN)
                                                            .header(
                                                                    "Content-Type",
                                                                    "application/x-ndjson")
                                                            .POST(
                                                                    HttpRequest.BodyPublishers
                                                                            .ofString(
                                                                                    bodies.get(i)))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString());
                                    if (response.statusCode() == 200) {
                                        var counts =
                                                JsonSerde.MAPPER
                                                        .readTree(response.body())
                                                        .get("counts");
                                        ok.addAndGet(counts.path("accepted").asInt());
                                    }
                                }
                                return null;
                            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMs = (cpuNanos() - cpuStart) / 1e6 / Math.max(1, ok.get());
        pool.shutdown();
        return new Phase(ok.get() / elapsed, cpuMs);
    }

    private static double produce(KafkaSettings kafka, String topic, List<byte[]> values)
            throws Exception {
        try (var producer =
                new KafkaProducer<byte[], byte[]>(
                        IngestService.producerProperties(kafka, "bench-raw"))) {
            long start = System.nanoTime();
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v));
            }
            producer.flush();
            return values.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Like {@link #produce} for records with headers (the binary intake records). */
    private static double produceRecords(
            KafkaSettings kafka, String topic, List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        try (var producer =
                new KafkaProducer<byte[], byte[]>(
                        IngestService.producerProperties(kafka, "bench-raw"))) {
            long start = System.nanoTime();
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()));
            }
            producer.flush();
            return records.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Waits until the topic holds {@code count} records; rate from the first to the last record's
     * timestamp.
     */
    private static double awaitLabelled(
            String bootstrap, String topic, int count, Runnable onComplete) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (var consumer =
                new KafkaConsumer<byte[], byte[]>(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "key.deserializer",
                                org.apache.kafka.common.serialization.ByteArrayDeserializer.class
                                        .getName(),
                                "value.deserializer",
                                org.apache.kafka.common.serialization.ByteArrayDeserializer.class
                                        .getName(),
                                "max.partition.fetch.bytes",
                                16 << 20))) {
            while (System.nanoTime() < deadline) {
                var parts =
                        consumer.partitionsFor(topic).stream()
                                .map(p -> new TopicPartition(topic, p.partition()))
                                .toList();
                long total =
                        consumer.endOffsets(parts).values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                if (total >= count) {
                    onComplete.run();
                    consumer.assign(parts);
                    consumer.seekToBeginning(parts);
                    long first = Long.MAX_VALUE;
                    long last = Long.MIN_VALUE;
                    int seen = 0;
                    while (seen < total) {
                        for (ConsumerRecord<byte[], byte[]> r :
                                consumer.poll(Duration.ofMillis(500))) {
                            first = Math.min(first, r.timestamp());
                            last = Math.max(last, r.timestamp());
                            seen++;
                        }
                    }
                    return count / Math.max(0.001, (last - first) / 1000.0);
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(
                "intake path did not deliver " + count + " records within 5 minutes");
    }

    /**
     * The JPEG with a comment segment holding {@code n} right after SOI: same pixels, distinct
     * bytes.
     */
    static byte[] unique(byte[] jpeg, long n) {
        byte[] comment = ("bench " + n).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + comment.length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xFE).putShort((short) (comment.length + 2)).put(comment);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** A noisy JPEG of about {@code bytes} (quality 85). */
    static byte[] jpegOfAbout(int bytes, long seed) throws Exception {
        int side = 160;
        byte[] out = jpeg(side, seed);
        while (out.length < bytes * 0.95 || out.length > bytes * 1.05) {
            side = (int) Math.max(16, side * Math.sqrt((double) bytes / out.length));
            out = jpeg(side, seed);
            if (Math.abs(out.length - bytes) < bytes * 0.05) {
                break;
            }
        }
        return out;
    }

    private static byte[] jpeg(int side, long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, (x * 5 + y * 3 + random.nextInt(48) * 0x010101) & 0xFFFFFF);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
