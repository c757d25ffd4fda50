package io.streamtune.inference.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which cameras (frame keys) a model serves: comma-separated glob patterns, {@code *} any run of
 * characters and {@code ?} one, matched against the whole camera id ({@code lobby-*,gate-?}); a
 * pattern starting with {@code !} excludes what it matches. {@code *} (the default) serves every
 * camera, also frames without a key.
 */
public final class CameraRoutes implements Predicate<String> {

    /** Every camera. */
    public static final CameraRoutes ALL = new CameraRoutes("*", List.of(), List.of(), true);

    private final String text;
    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final boolean all;

    private CameraRoutes(String text, List<Pattern> include, List<Pattern> exclude, boolean all) {
        this.text = text;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.all = all;
    }

    /** Parses the patterns; blank or {@code *} is {@link #ALL}. */
    public static CameraRoutes parse(String patterns) {
        if (patterns == null || patterns.isBlank() || patterns.strip().equals("*")) {
            return ALL;
        }
        List<Pattern> include = new ArrayList<>();
        List<Pattern> exclude = new ArrayList<>();
        for (String p : patterns.split(",")) {
            String glob = p.strip();
            if (glob.isEmpty()) {
                continue;
            }
            boolean negated = glob.startsWith("!");
            if (negated) {
                glob = glob.substring(1).strip();
                if (glob.isEmpty()) {
                    throw new IllegalArgumentException("'!' needs a pattern after it");
                }
            }
            (negated ? exclude : include).add(glob(glob));
        }
        if (include.isEmpty() && exclude.isEmpty()) {
            return ALL;
        }
        return new CameraRoutes(patterns.strip(), include, exclude, include.isEmpty());
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Whether this model serves the camera. */
    @Override
    public boolean test(String camera) {
        String c = camera == null ? "" : camera;
        if (exclude.stream().anyMatch(p -> p.matcher(c).matches())) {
            return false;
        }
        return all || include.stream().anyMatch(p -> p.matcher(c).matches());
    }

    /** Whether every camera is served. */
    public boolean servesAll() {
        return all && exclude.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
