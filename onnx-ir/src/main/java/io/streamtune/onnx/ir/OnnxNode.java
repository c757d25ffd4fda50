package io.streamtune.onnx.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One operator application; an empty input name marks an omitted optional input. */
public record OnnxNode(
        String name,
        String opType,
        List<String> inputs,
        List<String> outputs,
        Map<String, Attribute> attributes) {

    public OnnxNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opType, "opType");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A node without attributes. */
    public static OnnxNode of(
            String name, String opType, List<String> inputs, List<String> outputs) {
        return new OnnxNode(name, opType, inputs, outputs, Map.of());
    }

    /** A node with the given attributes. */
    public static OnnxNode of(
            String name,
            String opType,
            List<String> inputs,
            List<String> outputs,
            Attribute... attrs) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (Attribute a : attrs) {
            m.put(a.name(), a);
        }
        return new OnnxNode(name, opType, inputs, outputs, m);
    }

    /** The i-th input name, or "" when absent. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    /** Whether the i-th (optional) input is present. */
    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public boolean has(String attr) {
        return attributes.containsKey(attr);
    }

    public long attrInt(String attr, long dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : (Long) a.value();
    }

    public float attrFloat(String attr, float dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : (Float) a.value();
    }

    public String attrString(String attr, String dflt) {
        Attribute a = attributes.get(attr);
        return a == null ? dflt : (String) a.value();
    }

    /** An INTS attribute, or {@code null} when absent. */
    public long[] attrInts(String attr) {
        Attribute a = attributes.get(attr);
        return a == null ? null : ((long[]) a.value()).clone();
    }

    public float[] attrFloats(String attr) {
        Attribute a = attributes.get(attr);
        return a == null ? null : ((float[]) a.value()).clone();
    }

    public OnnxTensor attrTensor(String attr) {
        Attribute a = attributes.get(attr);
        return a == null ? null : (OnnxTensor) a.value();
    }

    /** A copy with other inputs. */
    public OnnxNode withInputs(List<String> newInputs) {
        return new OnnxNode(name, opType, newInputs, outputs, attributes);
    }

    /** A copy with one attribute added or replaced. */
    public OnnxNode withAttribute(Attribute a) {
        Map<String, Attribute> m = new LinkedHashMap<>(attributes);
        m.put(a.name(), a);
        return new OnnxNode(name, opType, inputs, outputs, m);
    }

    /** A copy without an attribute. */
    public OnnxNode withoutAttribute(String attr) {
        Map<String, Attribute> m = new LinkedHashMap<>(attributes);
        m.remove(attr);
        return new OnnxNode(name, opType, inputs, outputs, m);
    }

    /** Present (non-empty) inputs. */
    public List<String> presentInputs() {
        List<String> l = new ArrayList<>();
        for (String s : inputs) {
            if (!s.isEmpty()) {
                l.add(s);
            }
        }
        return l;
    }
}
