package io.streamtune.kafka.embedded;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one embedded broker per test JVM and injects it as an {@link
 * EmbeddedKafkaBroker} parameter. Tests isolate themselves with {@link #unique(String)} names.
 */
public final class SharedKafka implements ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(SharedKafka.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(
                        "broker",
                        k ->
                                new CloseableBroker(
                                        EmbeddedKafkaBroker.builder()
                                                .build()
                                                .start(Duration.ofSeconds(60))),
                        CloseableBroker.class)
                .broker();
    }

    /** A name no other test in this JVM uses, e.g. for topic prefixes and application ids. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private record CloseableBroker(EmbeddedKafkaBroker broker)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }
}
