package io.streamtune.testkit;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Initializes a class the way a fresh JVM on this class path would: in a class loader of its own,
 * so its static initializers run again even when the test JVM loaded it before. For checks of what
 * an entry point does before anything else runs (system properties it must set first).
 */
public final class FreshJvm {

    private FreshJvm() {}

    /**
     * Loads and initializes {@code className} in a new class loader over {@code java.class.path},
     * parented by the platform loader.
     *
     * @throws ClassNotFoundException when the class path has no such class
     */
    public static void initialize(String className) throws Exception {
        URL[] classpath =
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(FreshJvm::url)
                        .toArray(URL[]::new);
        try (var fresh = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            Class.forName(className, true, fresh);
        }
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("class path entry " + entry + ": " + e, e);
        }
    }
}
