package io.streamtune.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Named readiness checks of a service. Liveness is the process answering at all; readiness is every
 * check passing (Kafka reachable, model loaded, streams running...).
 */
public final class Health {

    /** Result of one check. */
    public record Status(boolean up, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    private final Map<String, Supplier<Status>> checks = new ConcurrentHashMap<>();

    /** Adds or replaces a readiness check. */
    public Health register(String name, Supplier<Status> check) {
        checks.put(name, check);
        return this;
    }

    /** Runs every check; a check that throws is down with its message. */
    public Map<String, Status> evaluate() {
        Map<String, Status> out = new LinkedHashMap<>();
        checks.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        e -> {
                            Status s;
                            try {
                                s = e.getValue().get();
                            } catch (RuntimeException ex) {
                                s = Status.down(ex.toString());
                            }
                            out.put(e.getKey(), s);
                        });
        return out;
    }

    /** Whether every check is up. */
    public boolean ready() {
        return evaluate().values().stream().allMatch(Status::up);
    }
}
