package io.onyxml.training.onnx;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.encoding.EncodedFeature;
import io.onyxml.training.encoding.FeatureEncoder;

import java.util.List;

/**
 * Writes the graph inputs and the preprocessing of a {@link FeatureEncoder}: one input of shape {@code [N, 1]} per
 * feature column, named after it (double for numbers and booleans, string for text); NaN (a NULL) replaced by the
 * training mean and, when the encoder standardises, {@code (x - mean) / deviation}; text one-hot encoded with
 * {@code ai.onnx.ml.OneHotEncoder} over the training categories (an unseen value sets no slot). The pieces are
 * concatenated into one double tensor {@code [N, width]} in the encoder's slot order.
 */
final class PreprocessingGraph
{
    static final long OPSET = 17;
    static final long ML_OPSET = 3;
    static final String PREFIX = "onyx/";

    private PreprocessingGraph() {}

    static OnnxGraphBuilder newGraph(String name)
    {
        return new OnnxGraphBuilder(name)
                .producer("onyx-training")
                .irVersion(8)
                .opset("", OPSET)
                .opset(OnnxGraphBuilder.ML_DOMAIN, ML_OPSET);
    }

    /**
     * Adds inputs and preprocessing; returns the name of the encoded {@code [N, width]} double tensor.
     */
    static String encode(OnnxGraphBuilder graph, FeatureEncoder encoder)
    {
        ImmutableList.Builder<String> pieces = ImmutableList.builder();
        int index = 0;
        for (EncodedFeature feature : encoder.features()) {
            String input = feature.column().name();
            String prefix = PREFIX + index++ + "/";
            if (feature.column().isText()) {
                graph.input(input, ElementType.STRING, -1, 1);
                graph.mlNode("OneHotEncoder")
                        .inputs(input)
                        .outputs(prefix + "onehot")
                        .strings("cats_strings", feature.vocabulary().toArray(String[]::new))
                        .attribute("zeros", 1)
                        .add();
                // declared, because the ONNX checker infers no type for OneHotEncoder's output
                graph.valueInfo(prefix + "onehot", ElementType.FLOAT, -1, 1, feature.vocabulary().size());
                graph.longInitializer(prefix + "shape", new long[] {-1, feature.vocabulary().size()}, 2);
                graph.node("Reshape").inputs(prefix + "onehot", prefix + "shape").outputs(prefix + "flat").add();
                graph.node("Cast").inputs(prefix + "flat").outputs(prefix + "encoded").attribute("to", (long) ElementType.DOUBLE.onnxCode()).add();
                pieces.add(prefix + "encoded");
                continue;
            }
            graph.input(input, ElementType.DOUBLE, -1, 1);
            String current = input;
            if (feature.imputes()) {
                graph.doubleInitializer(prefix + "mean", new double[] {feature.mean()}, 1);
                graph.node("IsNaN").inputs(input).outputs(prefix + "missing").add();
                graph.node("Where").inputs(prefix + "missing", prefix + "mean", input).outputs(prefix + "imputed").add();
                current = prefix + "imputed";
            }
            if (feature.isScaled()) {
                graph.doubleInitializer(prefix + "center", new double[] {feature.center()}, 1);
                graph.doubleInitializer(prefix + "scale", new double[] {feature.scale()}, 1);
                graph.node("Sub").inputs(current, prefix + "center").outputs(prefix + "centered").add();
                graph.node("Div").inputs(prefix + "centered", prefix + "scale").outputs(prefix + "scaled").add();
                current = prefix + "scaled";
            }
            pieces.add(current);
        }
        List<String> names = pieces.build();
        graph.node("Concat").inputs(names.toArray(String[]::new)).outputs(PREFIX + "features").attribute("axis", 1).add();
        return PREFIX + "features";
    }
}
