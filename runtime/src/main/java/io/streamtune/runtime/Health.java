package io.streamtune.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Named checks of a service. Readiness is every check passing (Kafka reachable, model loaded,
 * streams running...); liveness is the liveness checks passing — the loops without which the
 * process is useless (a frame pipeline, a trigger loop) — so an orchestrator restarts a process
 * whose loop died instead of keeping it because its HTTP thread still answers.
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
    private final Map<String, Supplier<Status>> liveness = new ConcurrentHashMap<>();

    /** Adds or replaces a readiness check. */
    public Health register(String name, Supplier<Status> check) {
        checks.put(name, check);
        return this;
    }

    /**
     * Adds or replaces a liveness check: down only when the process cannot recover by itself (a
     * loop thread died). It counts for readiness too.
     */
    public Health registerLiveness(String name, Supplier<Status> check) {
        checks.put(name, check);
        liveness.put(name, check);
        return this;
    }

    /** Runs every check; a check that throws is down with its message. */
    public Map<String, Status> evaluate() {
        return run(checks);
    }

    /** Runs the liveness checks. */
    public Map<String, Status> evaluateLiveness() {
        return run(liveness);
    }

    private static Map<String, Status> run(Map<String, Supplier<Status>> checks) {
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
