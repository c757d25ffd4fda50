package io.streamtune.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One node of a TensorFlow.js graph model: the GraphDef node as JSON (inputs as {@code name},
 * {@code name:1} for a second output, {@code ^name} for a control dependency).
 */
public record TfNode(String name, String op, List<String> inputs, JsonNode attrs) {

    public TfNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(attrs, "attrs");
    }

    /** Data inputs, without control dependencies. */
    public List<String> dataInputs() {
        List<String> l = new ArrayList<>();
        for (String i : inputs) {
            if (!i.startsWith("^")) {
                l.add(i);
            }
        }
        return l;
    }

    /** The i-th data input. */
    public String input(int i) {
        return dataInputs().get(i);
    }

    public boolean has(String attr) {
        return attrs.has(attr);
    }

    /** A string attribute (TF stores them base64-encoded), or {@code dflt}. */
    public String string(String attr, String dflt) {
        JsonNode a = attrs.path(attr).path("s");
        return a.isMissingNode()
                ? dflt
                : new String(Base64.getDecoder().decode(a.asText()), StandardCharsets.UTF_8);
    }

    public long integer(String attr, long dflt) {
        JsonNode a = attrs.path(attr).path("i");
        return a.isMissingNode() ? dflt : Long.parseLong(a.asText());
    }

    public float real(String attr, float dflt) {
        JsonNode a = attrs.path(attr).path("f");
        return a.isMissingNode() ? dflt : (float) a.asDouble();
    }

    public boolean bool(String attr, boolean dflt) {
        JsonNode a = attrs.path(attr).path("b");
        return a.isMissingNode() ? dflt : a.asBoolean();
    }

    /** An integer-list attribute, or {@code null} when absent. */
    public long[] ints(String attr) {
        JsonNode a = attrs.path(attr).path("list");
        if (a.isMissingNode()) {
            return null;
        }
        JsonNode i = a.path("i");
        long[] v = new long[i.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = Long.parseLong(i.get(k).asText());
        }
        return v;
    }

    /** A string-list attribute (decoded), empty when absent. */
    public List<String> strings(String attr) {
        List<String> l = new ArrayList<>();
        for (JsonNode s : attrs.path(attr).path("list").path("s")) {
            l.add(new String(Base64.getDecoder().decode(s.asText()), StandardCharsets.UTF_8));
        }
        return l;
    }

    /** A type attribute such as {@code DT_FLOAT}, or {@code dflt}. */
    public String type(String attr, String dflt) {
        JsonNode a = attrs.path(attr).path("type");
        return a.isMissingNode() ? dflt : a.asText();
    }
}
