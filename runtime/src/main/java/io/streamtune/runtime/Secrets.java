package io.streamtune.runtime;

import java.util.List;
import java.util.Locale;

/**
 * Refuses secrets that protect nothing: too short, too few distinct characters, or a placeholder
 * left from a template ({@code CHANGE-ME}, {@code <token>}...). Failing start-up names the key and
 * never echoes the value.
 */
public final class Secrets {

    private static final List<String> PLACEHOLDERS =
            List.of("change-me", "changeme", "change_me", "replace-me", "replaceme", "<", "${");

    private Secrets() {}

    /** {@code value}, stripped, if it is a plausible secret of at least {@code minLength}. */
    public static String requireStrong(String key, String value, int minLength) {
        String v = value == null ? "" : value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        boolean placeholder =
                PLACEHOLDERS.stream().anyMatch(lower::contains)
                        || List.of("secret", "password", "token", "xxx", "todo", "test")
                                .contains(lower);
        if (v.length() < minLength || placeholder || v.chars().distinct().count() < 8) {
            throw new ConfigException(
                    key,
                    "must be a random secret of at least "
                            + minLength
                            + " characters (e.g. openssl rand -hex 32), not a placeholder");
        }
        return v;
    }
}
