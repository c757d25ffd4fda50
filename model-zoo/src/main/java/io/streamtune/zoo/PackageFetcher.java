package io.streamtune.zoo;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Fetches a registry package tarball into a folder (the zoo verifies it afterwards). */
@FunctionalInterface
public interface PackageFetcher {

    /** Downloads {@code entry}'s package into {@code dir}; returns the tarball's path. */
    Path fetch(ZooEntry entry, Path dir, Consumer<String> progress) throws ZooException;
}
