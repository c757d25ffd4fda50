package io.streamtune.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a service's resources in reverse order of creation, once, on {@link #close()} or on
 * SIGTERM/Ctrl-C through a shutdown hook.
 */
public final class Lifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final String name;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    public Lifecycle(String name) {
        this.name = name;
    }

    /** Registers a resource to close on shutdown; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        if (closed) {
            throw new IllegalStateException(name + " is shutting down");
        }
        resources.push(resource);
        return resource;
    }

    /** Closes everything when the JVM is asked to stop. */
    public Lifecycle closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, name + "-shutdown"));
        return this;
    }

    /**
     * Whether the JVM has begun to shut down (SIGTERM, Ctrl-C, {@code System.exit}): native
     * libraries tear down under running threads then, so their failures are a consequence of the
     * stop, not faults to report.
     */
    public static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        log.info("{} stopping", name);
        AutoCloseable r;
        while ((r = poll()) != null) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("{}: error closing {}: {}", name, r, e.toString());
            }
        }
        stopped.countDown();
        log.info("{} stopped", name);
    }

    private synchronized AutoCloseable poll() {
        return resources.poll();
    }
}
