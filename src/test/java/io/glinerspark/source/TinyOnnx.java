package io.glinerspark.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small ONNX models written field by field in the protocol-buffers wire format (no ONNX library is on the class
 * path), whose float tensors live in external-data files.
 */
public final class TinyOnnx {

    private static final int FLOAT = 1;
    private static final int EXTERNAL = 1;

    private TinyOnnx() {
    }

    /**
     * {@code y = Identity(w)}: a model with no inputs whose one initializer {@code w} (float[{@code count}]) is read
     * from {@code location}, relative to the ONNX file's folder.
     */
    public static byte[] identityOfExternal(String location, int count) {
        byte[] tensor = externalTensor("w", location, count);
        byte[] node = message(strings(1, "w"), strings(2, "y"), strings(4, "Identity"));
        byte[] graph = message(field(1, node), strings(2, "g"), field(5, tensor), field(12, floatValueInfo("y", count)));
        return model(graph);
    }

    /**
     * A model naming external data in each place a tensor can sit: a graph initializer ({@code first}), a Constant
     * node's attribute ({@code second}) and an initializer of a sub-graph in an If node's attribute ({@code third}).
     */
    public static byte[] externalDataEverywhere(String first, String second, String third) {
        byte[] constant = message(strings(2, "c"), strings(4, "Constant"),
                field(5, message(strings(1, "value"), field(5, externalTensor("cv", second, 1)), varint(20, 4))));
        byte[] subgraph = message(strings(2, "then"), field(5, externalTensor("t", third, 1)));
        byte[] branch = message(strings(1, "cond"), strings(2, "b"), strings(4, "If"),
                field(5, message(strings(1, "then_branch"), field(6, subgraph), varint(20, 5))));
        byte[] graph = message(field(1, constant), field(1, branch), strings(2, "g"), field(5, externalTensor("w", first, 2)));
        return model(graph);
    }

    private static byte[] model(byte[] graph) {
        byte[] opset = message(strings(1, ""), varint(2, 13));
        return message(varint(1, 8), strings(2, "tiny-onnx"), field(7, graph), field(8, opset));
    }

    private static byte[] externalTensor(String name, String location, int count) {
        return message(varint(1, count), varint(2, FLOAT), strings(8, name),
                field(13, message(strings(1, "location"), strings(2, location))),
                field(13, message(strings(1, "offset"), strings(2, "0"))),
                field(13, message(strings(1, "length"), strings(2, Integer.toString(4 * count)))),
                varint(14, EXTERNAL));
    }

    private static byte[] floatValueInfo(String name, int count) {
        byte[] shape = message(field(1, message(varint(1, count))));
        byte[] tensorType = message(varint(1, FLOAT), field(2, shape));
        return message(strings(1, name), field(2, message(field(1, tensorType))));
    }

    private static byte[] strings(int number, String value) {
        return field(number, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, ((long) number << 3) | 2);
        writeVarint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] varint(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) number << 3);
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static byte[] message(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
