package io.streamtune.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void shouldCloseResourcesInReverseOrderOnce() {
        StringBuilder order = new StringBuilder();
        Lifecycle l = new Lifecycle("test");
        l.add(() -> order.append('a'));
        l.add(() -> order.append('b'));
        l.close();
        l.close();
        assertThat(order).hasToString("ba");
    }

    @Test
    void shouldTellARunningJvmFromOneShuttingDown() throws Exception {
        assertThat(Lifecycle.jvmShuttingDown()).isFalse();

        // a child JVM asks from its own shutdown hook
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p =
                new ProcessBuilder(
                                List.of(
                                        java.toString(),
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        ShutdownProbe.class.getName()))
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("running=false").contains("in hook=true");
    }

    /** Prints what {@link Lifecycle#jvmShuttingDown()} says before and during shutdown. */
    public static final class ShutdownProbe {
        public static void main(String[] args) {
            System.out.println("running=" + Lifecycle.jvmShuttingDown());
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () ->
                                            System.out.println(
                                                    "in hook=" + Lifecycle.jvmShuttingDown())));
        }
    }
}
