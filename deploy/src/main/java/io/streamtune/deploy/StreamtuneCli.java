package io.streamtune.deploy;

import io.streamtune.runtime.DjlOffline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ./streamtune} command line. */
@Command(
        name = "streamtune",
        mixinStandardHelpOptions = true,
        version = "streamtune 0.1.0",
        description = "Continuous transfer learning for computer vision on Kafka.",
        subcommands = {StreamtuneCli.Up.class, CommandLine.HelpCommand.class})
public final class StreamtuneCli implements Callable<Integer> {

    static {
        DjlOffline.enforce();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new StreamtuneCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        }).execute(args);
        System.exit(code);
    }

    /** Starts the local stack. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start Kafka (embedded unless --bootstrap-servers) and all services; Ctrl-C stops them.")
    static final class Up implements Callable<Integer> {

        @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of the embedded broker.")
        String bootstrapServers;

        @Option(names = "--data-dir", defaultValue = ".streamtune", description = "State directory (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--kafka-port", defaultValue = "9092", description = "Embedded broker port, 0 = any free (default: ${DEFAULT-VALUE}).")
        int kafkaPort;

        @Option(names = "--ingest-port", defaultValue = "8081", description = "Ingest HTTP port (default: ${DEFAULT-VALUE}).")
        int ingestPort;

        @Option(names = "--trainer-port", defaultValue = "8082", description = "Trainer HTTP port (default: ${DEFAULT-VALUE}).")
        int trainerPort;

        @Option(names = "--inference-port", defaultValue = "8083", description = "Inference HTTP port (default: ${DEFAULT-VALUE}).")
        int inferencePort;

        @Option(names = "--http-host", defaultValue = "127.0.0.1", description = "Interface the HTTP ports bind (default: ${DEFAULT-VALUE}).")
        String httpHost;

        @Option(names = {"-D", "--set"}, description = "Any service config key, e.g. -D inference.batch.max=8.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            LocalStack stack = LocalStack.start(new LocalStack.Options(dataDir.toAbsolutePath(), bootstrapServers,
                    kafkaPort, ingestPort, trainerPort, inferencePort, httpHost, settings));
            stack.closeOnShutdown();
            boolean ready = stack.awaitReady(Duration.ofSeconds(60));
            System.out.println();
            System.out.println("streamtune is " + (ready ? "up" : "started, NOT ready") + " in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            System.out.println("  kafka      " + stack.bootstrapServers()
                    + (stack.embeddedBroker() ? "  (embedded, data in " + dataDir.toAbsolutePath() + ")" : ""));
            stack.urls().forEach((service, url) -> System.out.printf("  %-10s %s/health  %s/metrics%n", service,
                    url, url));
            System.out.println("Ctrl-C stops everything.");
            System.out.flush();
            stack.awaitStop();
            return 0;
        }
    }
}
