package io.onyxml.store.testing;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.onyxml.store.onnx.OnnxGraphBuilder;

import static io.onyxml.store.ElementType.FLOAT;

/**
 * Small ONNX files that declare far more than they hold or that no runtime can serve, as an attacker or a careless
 * exporter would write them; the tests of every module check that Onyx refuses them, or registers them at no cost.
 */
public final class HostileModels
{
    private static final long DYNAMIC = -1;

    private HostileModels() {}

    /**
     * {@code y = sum(x)} over an input {@code x float[N, width]}: about a hundred bytes whatever the width.
     */
    public static byte[] wide(long width)
    {
        return new OnnxGraphBuilder("wide")
                .input("x", FLOAT, DYNAMIC, width)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("ReduceSum").inputs("x").outputs("y").add()
                .build();
    }

    /**
     * {@code y = x}, to build variants of.
     */
    public static OnnxMl.ModelProto identity()
    {
        return new OnnxGraphBuilder("identity")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("Identity").inputs("x").outputs("y").add()
                .buildProto();
    }

    /**
     * An operator of a domain no runtime provides without a custom operator library.
     */
    public static byte[] customOperator(String domain, String operator)
    {
        OnnxMl.ModelProto.Builder model = identity().toBuilder().addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(1));
        model.getGraphBuilder().setNode(0, model.getGraph().getNode(0).toBuilder().setDomain(domain).setOpType(operator));
        return model.build().toByteArray();
    }

    /**
     * A tensor {@code w} of a million floats kept in an external file {@code weights.bin}.
     */
    public static byte[] externalData()
    {
        return withInitializer(tensor("w", 1, 1 << 20)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")));
    }

    /**
     * A tensor {@code w} that declares {@code count} floats and holds 4 bytes.
     */
    public static byte[] undeclaredData(long count)
    {
        return withInitializer(tensor("w", 1, count).setRawData(ByteString.copyFrom(new byte[4])));
    }

    /**
     * An {@code Add} with one input: valid protobuf, but no runtime can build the graph.
     */
    public static byte[] unloadable()
    {
        return new OnnxGraphBuilder("bad_arity")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("Add").inputs("x").outputs("y").add()
                .build();
    }

    public static byte[] withInitializer(OnnxMl.TensorProto.Builder tensor)
    {
        OnnxMl.ModelProto.Builder model = identity().toBuilder();
        model.getGraphBuilder().addInitializer(tensor);
        return model.build().toByteArray();
    }

    /**
     * A tensor of an ONNX element type code and shape, without data.
     */
    public static OnnxMl.TensorProto.Builder tensor(String name, int type, long... dimensions)
    {
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type);
        for (long dimension : dimensions) {
            tensor.addDims(dimension);
        }
        return tensor;
    }
}
