package io.streamtune.vision.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Parses the small literals found in model metadata: JSON arrays of strings ({@code
 * ["cat","dog"]}), Python dict literals of class names ({@code {0: 'person', 1: "car"}}) and
 * integer lists ({@code [640, 640]} or a bare {@code 640}).
 */
final class Literals {

    private final String text;
    private int pos;

    private Literals(String text) {
        this.text = text;
    }

    /** A JSON (or Python) list of strings. */
    static List<String> stringList(String text) {
        Literals p = new Literals(text);
        List<String> out = new ArrayList<>();
        p.expect('[');
        if (!p.tryConsume(']')) {
            do {
                out.add(p.string());
            } while (p.tryConsume(','));
            p.expect(']');
        }
        p.end();
        return out;
    }

    /** A Python dict of {@code int: str}, returned as a list by id; ids must be 0..n-1. */
    static List<String> indexedNames(String text) {
        Literals p = new Literals(text);
        TreeMap<Integer, String> names = new TreeMap<>();
        p.expect('{');
        if (!p.tryConsume('}')) {
            do {
                if (p.peek() == '}') {
                    break; // trailing comma
                }
                int id = p.integer();
                p.expect(':');
                if (names.put(id, p.string()) != null) {
                    throw new IllegalArgumentException("duplicate class id " + id + " in " + text);
                }
            } while (p.tryConsume(','));
            p.expect('}');
        }
        p.end();
        List<String> out = new ArrayList<>(names.values());
        if (!names.isEmpty() && (names.firstKey() != 0 || names.lastKey() != names.size() - 1)) {
            throw new IllegalArgumentException(
                    "class ids must be 0.." + (names.size() - 1) + ": " + text);
        }
        return out;
    }

    /** A bare integer or a list of integers. */
    static List<Integer> intList(String text) {
        Literals p = new Literals(text);
        List<Integer> out = new ArrayList<>();
        p.skipSpace();
        if (p.peek() == '[' || p.peek() == '(') {
            char close = p.peek() == '[' ? ']' : ')';
            p.pos++;
            if (!p.tryConsume(close)) {
                do {
                    out.add(p.integer());
                } while (p.tryConsume(','));
                p.expect(close);
            }
        } else {
            out.add(p.integer());
        }
        p.end();
        return out;
    }

    /** Writes a JSON array of strings, escaping quotes, backslashes and control characters. */
    static String toJsonStringList(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            for (char c : values.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private boolean tryConsume(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!tryConsume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void end() {
        skipSpace();
        if (pos != text.length()) {
            throw error("unexpected trailing text");
        }
    }

    private int integer() {
        skipSpace();
        int start = pos;
        if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("expected an integer");
        }
    }

    private String string() {
        char quote = peek();
        if (quote != '"' && quote != '\'') {
            throw error("expected a quoted string");
        }
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> out.append(e); // \" \' \\ \/
            }
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at position " + pos + " of: " + text);
    }
}
