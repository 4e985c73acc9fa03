package io.glinerspark.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators of an ONNX model as ONNX Runtime sees them: every node of the main graph and of the graphs inside
 * node attributes (If, Loop, Scan bodies), with its domain, operator type, the opset version its domain is imported
 * at, and the element type of its first input where the model declares it (graph inputs, initializers and the
 * value_info that shape inference records). Reads the protocol-buffers wire format along ModelProto, GraphProto,
 * NodeProto, AttributeProto, ValueInfoProto, TypeProto and TensorProto, skipping every other field (tensor bytes).
 */
final class OnnxNodes {

    /**
     * One node.
     *
     * @param domain     {@code ai.onnx} for the default domain, else as written
     * @param opType     the operator
     * @param opset      the version of {@code domain} the model imports
     * @param inputType  ONNX element type of the first input (TensorProto.DataType), 0 when unknown or absent
     */
    record Node(String domain, String opType, long opset, int inputType) {
    }

    /** ONNX TensorProto.DataType numbers by the names ONNX Runtime's kernel list uses. */
    static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(Map.entry(1, "float"), Map.entry(2, "uint8"),
            Map.entry(3, "int8"), Map.entry(4, "uint16"), Map.entry(5, "int16"), Map.entry(6, "int32"),
            Map.entry(7, "int64"), Map.entry(8, "string"), Map.entry(9, "bool"), Map.entry(10, "float16"),
            Map.entry(11, "double"), Map.entry(12, "uint32"), Map.entry(13, "uint64"), Map.entry(16, "bfloat16"),
            Map.entry(17, "float8e4m3fn"), Map.entry(18, "float8e4m3fnuz"), Map.entry(19, "float8e5m2"),
            Map.entry(20, "float8e5m2fnuz"), Map.entry(21, "uint4"), Map.entry(22, "int4"), Map.entry(23, "float4e2m1"));

    private final byte[] bytes;
    private final Map<String, Long> opsets = new HashMap<>();

    private OnnxNodes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The nodes of the model in {@code file}, main graph first, in file order. */
    static List<Node> of(Path file) throws IOException {
        OnnxNodes reader = new OnnxNodes(Files.readAllBytes(file));
        List<int[]> graphs = new ArrayList<>();
        reader.readModel(graphs);
        List<Node> nodes = new ArrayList<>();
        for (int[] graph : graphs) {
            reader.readGraph(graph[0], graph[1], new HashMap<>(), nodes);
        }
        return nodes;
    }

    private void readModel(List<int[]> graphs) {
        Cursor c = new Cursor(0, bytes.length);
        while (c.more()) {
            int field = c.tag();
            if (field == 7 && c.wire == 2) {
                int length = c.length();
                graphs.add(new int[] {c.at, c.at + length});
                c.at += length;
            } else if (field == 8 && c.wire == 2) {
                int end = c.fieldEnd();
                String domain = "";
                long version = 0;
                Cursor opset = new Cursor(c.at, end);
                while (opset.more()) {
                    int f = opset.tag();
                    if (f == 1 && opset.wire == 2) {
                        domain = opset.string();
                    } else if (f == 2 && opset.wire == 0) {
                        version = opset.varint();
                    } else {
                        opset.skip();
                    }
                }
                opsets.put(domain.isEmpty() ? "ai.onnx" : domain, version);
                c.at = end;
            } else {
                c.skip();
            }
        }
    }

    /** Reads the graph in [start, end): its declared types first (they may follow the nodes), then its nodes. */
    private void readGraph(int start, int end, Map<String, Integer> outerTypes, List<Node> nodes) {
        Map<String, Integer> types = new HashMap<>(outerTypes);
        List<int[]> nodeSpans = new ArrayList<>();
        Cursor c = new Cursor(start, end);
        while (c.more()) {
            int field = c.tag();
            if (c.wire != 2) {
                c.skip();
                continue;
            }
            int length = c.length();
            int fieldEnd = c.at + length;
            switch (field) {
                case 1 -> nodeSpans.add(new int[] {c.at, fieldEnd});
                case 5 -> readInitializer(c.at, fieldEnd, types);
                case 11, 12, 13 -> readValueInfo(c.at, fieldEnd, types);
                default -> {
                }
            }
            c.at = fieldEnd;
        }
        for (int[] span : nodeSpans) {
            readNode(span[0], span[1], types, nodes);
        }
    }

    private void readNode(int start, int end, Map<String, Integer> types, List<Node> nodes) {
        String opType = "";
        String domain = "";
        String firstInput = null;
        List<int[]> subgraphs = new ArrayList<>();
        Cursor c = new Cursor(start, end);
        while (c.more()) {
            int field = c.tag();
            if (field == 1 && c.wire == 2) {
                String input = c.string();
                if (firstInput == null) {
                    firstInput = input;
                }
            } else if (field == 4 && c.wire == 2) {
                opType = c.string();
            } else if (field == 7 && c.wire == 2) {
                domain = c.string();
            } else if (field == 5 && c.wire == 2) {
                int attributeEnd = c.fieldEnd();
                Cursor attribute = new Cursor(c.at, attributeEnd);
                while (attribute.more()) {
                    int f = attribute.tag();
                    if ((f == 6 || f == 11) && attribute.wire == 2) {
                        int length = attribute.length();
                        subgraphs.add(new int[] {attribute.at, attribute.at + length});
                        attribute.at += length;
                    } else {
                        attribute.skip();
                    }
                }
                c.at = attributeEnd;
            } else {
                c.skip();
            }
        }
        String key = domain.isEmpty() || domain.equals("ai.onnx") ? "ai.onnx" : domain;
        int inputType = firstInput == null || firstInput.isEmpty() ? 0 : types.getOrDefault(firstInput, 0);
        nodes.add(new Node(key, opType, opsets.getOrDefault(key, 0L), inputType));
        for (int[] graph : subgraphs) {
            readGraph(graph[0], graph[1], types, nodes);
        }
    }

    private void readInitializer(int start, int end, Map<String, Integer> types) {
        int dataType = 0;
        String name = null;
        Cursor c = new Cursor(start, end);
        while (c.more()) {
            int field = c.tag();
            if (field == 2 && c.wire == 0) {
                dataType = (int) c.varint();
            } else if (field == 8 && c.wire == 2) {
                name = c.string();
            } else {
                c.skip();
            }
        }
        if (name != null) {
            types.put(name, dataType);
        }
    }

    private void readValueInfo(int start, int end, Map<String, Integer> types) {
        String name = null;
        int elemType = 0;
        Cursor c = new Cursor(start, end);
        while (c.more()) {
            int field = c.tag();
            if (field == 1 && c.wire == 2) {
                name = c.string();
            } else if (field == 2 && c.wire == 2) {
                int typeEnd = c.fieldEnd();
                elemType = tensorElemType(c.at, typeEnd);
                c.at = typeEnd;
            } else {
                c.skip();
            }
        }
        if (name != null && elemType != 0) {
            types.put(name, elemType);
        }
    }

    /** TypeProto.tensor_type.elem_type, 0 for other types (sequences, maps). */
    private int tensorElemType(int start, int end) {
        Cursor c = new Cursor(start, end);
        while (c.more()) {
            int field = c.tag();
            if (field == 1 && c.wire == 2) {
                int tensorEnd = c.fieldEnd();
                Cursor tensor = new Cursor(c.at, tensorEnd);
                while (tensor.more()) {
                    int f = tensor.tag();
                    if (f == 1 && tensor.wire == 0) {
                        return (int) tensor.varint();
                    }
                    tensor.skip();
                }
                c.at = tensorEnd;
            } else {
                c.skip();
            }
        }
        return 0;
    }

    /** A position inside one message, bounded by its end. */
    private final class Cursor {
        private int at;
        private final int end;
        private int wire;

        Cursor(int at, int end) {
            this.at = at;
            this.end = end;
        }

        boolean more() {
            return at < end;
        }

        /** Reads a field's key; returns its number and keeps its wire type. */
        int tag() {
            long key = varint();
            wire = (int) (key & 7);
            int field = (int) (key >>> 3);
            if (field == 0) {
                throw new IllegalArgumentException("not an ONNX model: field number 0 at byte " + at);
            }
            return field;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) {
                    throw new IllegalArgumentException("not an ONNX model: varint runs past its message at byte " + at);
                }
                int b = bytes[at++] & 0xff;
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("not an ONNX model: malformed varint at byte " + at);
        }

        int length() {
            long length = varint();
            if (length < 0 || length > end - at) {
                throw new IllegalArgumentException("not an ONNX model: a field runs past its message at byte " + at);
            }
            return (int) length;
        }

        /** Reads a length-delimited field's length; returns where the field ends. */
        int fieldEnd() {
            int length = length();
            return at + length;
        }

        String string() {
            int length = length();
            String text = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return text;
        }

        void skip() {
            switch (wire) {
                case 0 -> varint();
                case 1 -> at += 8;
                case 2 -> {
                    int length = length();
                    at += length;
                }
                case 5 -> at += 4;
                default -> throw new IllegalArgumentException("not an ONNX model: wire type " + wire + " at byte " + at);
            }
            if (at > end) {
                throw new IllegalArgumentException("not an ONNX model: a field runs past its message at byte " + end);
            }
        }
    }
}
