package io.streamtune.contracts;

import java.util.Objects;

/** Checks for identifiers that appear in keys, topic names and metric tags. */
public final class Names {

    private Names() {}

    /** A model (= dataset) name: 1..64 of {@code [a-z0-9._-]}, starting with a letter or digit. */
    public static String requireModelName(String name) {
        Objects.requireNonNull(name, "model");
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException(
                    "invalid model name '"
                            + name
                            + "': use 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        return name;
    }

    /** A non-blank string of at most {@code max} characters. */
    public static String requireText(String value, String field, int max) {
        Objects.requireNonNull(value, field);
        if (value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException(field + " must be 1.." + max + " characters");
        }
        return value;
    }

    /**
     * A Kafka topic name: 1..200 of {@code [a-zA-Z0-9._-]} (Kafka allows 249; a prefix and a {@code
     * .dlq} suffix must still fit), not {@code .} or {@code ..}.
     */
    public static String requireTopicName(String name) {
        Objects.requireNonNull(name, "topic");
        if (!name.matches("[a-zA-Z0-9._-]{1,200}") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(
                    "invalid topic name '" + name + "': use 1-200 of a-z A-Z 0-9 . _ -");
        }
        return name;
    }
}
