package io.onyxml.inference.compiled;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.onyxml.store.onnx.OnnxGraphBuilder.ML_DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random tree ensembles evaluated by the compiled evaluator and by ONNX Runtime (one intra-op thread, so that it sums
 * the trees of a row in tree order). Tolerance: none (bit for bit) for scores and labels, since both sum the same
 * weights in the same order in the same precision; only the transcendental post transforms (LOGISTIC, SOFTMAX,
 * SOFTMAX_ZERO, PROBIT) may differ by {@value #TRANSFORM_ULPS} float ulps, since Java's exp and log are not the C
 * library's.
 */
class TestCompiledTreeEnsembles
{
    private static final int TRANSFORM_ULPS = 4;
    private static final int ROWS = 150;
    private static final float[] THRESHOLDS = {-2, -1, -0.5f, 0, 0.5f, 1, 1.5f, 3, -0.0f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    private static final float[] WEIGHTS = {-1, -0.5f, 0, 0.25f, 0.5f, 1, 2, 0.1f, -0.3f};
    private static final String[] MODES = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"};
    private static final String[] TRANSFORMS = {"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"};
    private static final String[] AGGREGATES = {"SUM", "AVERAGE", "MIN", "MAX"};

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

    @Test
    void regressorsMatchOnnxRuntime()
            throws OrtException
    {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            boolean doubles = random.nextInt(4) == 0;
            int features = 1 + random.nextInt(5);
            int targets = random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
            Ensemble ensemble = Ensemble.random(random, features, targets, targets, random.nextInt(8) == 0);
            String transform = TRANSFORMS[random.nextInt(TRANSFORMS.length)];
            OnnxGraphBuilder.NodeBuilder node = graph(doubles, features, targets, false)
                    .mlNode("TreeEnsembleRegressor").inputs("X").outputs("Y")
                    .attribute("n_targets", (long) targets)
                    .attribute("aggregate_function", AGGREGATES[random.nextInt(AGGREGATES.length)])
                    .attribute("post_transform", transform);
            ensemble.addTo(node, "target");
            if (random.nextBoolean()) {
                node.floats("base_values", randomWeights(random, targets));
            }
            OnnxMl.ModelProto model = node.add().buildProto();
            if (random.nextInt(4) == 0) {
                model = asTensors(model, doubles);
            }
            compare(model, "seed " + seed, doubles, features, random, !transform.equals("NONE"));
        }
    }

    @Test
    void classifiersMatchOnnxRuntime()
            throws OrtException
    {
        int refused = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            boolean doubles = random.nextInt(4) == 0;
            int features = 1 + random.nextInt(5);
            int classes = random.nextBoolean() ? 2 : 3 + random.nextInt(2);
            // a binary classifier often weighs one class only (ONNX Runtime's binary case), 0 or 1
            int weighed = classes == 2 && random.nextBoolean() ? 1 : classes;
            Ensemble ensemble = Ensemble.random(random, features, classes, weighed, random.nextInt(8) == 0);
            if (weighed == 1 && random.nextBoolean()) {
                ensemble.shiftClasses();
            }
            if (random.nextBoolean()) {
                ensemble.positiveWeights();
            }
            boolean text = random.nextBoolean();
            String transform = TRANSFORMS[random.nextInt(TRANSFORMS.length)];
            OnnxGraphBuilder.NodeBuilder node = graph(doubles, features, classes, text ? 2 : 1)
                    .mlNode("TreeEnsembleClassifier").inputs("X").outputs("label", "scores")
                    .attribute("post_transform", transform);
            ensemble.addTo(node, "class");
            if (text) {
                String[] labels = new String[classes];
                for (int i = 0; i < classes; i++) {
                    labels[i] = "class " + (char) ('a' + i);
                }
                node.strings("classlabels_strings", labels);
            }
            else {
                long[] labels = new long[classes];
                for (int i = 0; i < classes; i++) {
                    labels[i] = random.nextBoolean() ? i : 10 * i + 5;
                }
                node.ints("classlabels_int64s", labels);
            }
            int baseValues = random.nextInt(classes + 1);
            if (baseValues > 0) {
                node.floats("base_values", randomWeights(random, baseValues));
            }
            OnnxMl.ModelProto model = node.add().buildProto();
            if (random.nextInt(4) == 0) {
                model = asTensors(model, doubles);
            }
            try {
                CompiledModel.compile(model);
            }
            catch (UnsupportedGraphException e) {
                assertThat(e.getMessage()).as("seed %s", seed).containsAnyOf("may leave unwritten", "vary across ONNX Runtime versions", "base values for");
                refused++;
                continue;
            }
            compare(model, "seed " + seed, doubles, features, random, !transform.equals("NONE"));
        }
        assertThat(refused).isLessThan(150);
    }

    @Test
    void doubleThresholdsCompareInDouble()
            throws OrtException
    {
        // thresholds that are not floats, as a double input's tensor attributes can hold
        Random random = new Random(7);
        OnnxGraphBuilder.NodeBuilder node = graph(true, 1, 1, false)
                .mlNode("TreeEnsembleRegressor").inputs("X").outputs("Y")
                .attribute("n_targets", 1L);
        Ensemble ensemble = Ensemble.random(random, 1, 1, 1, false);
        ensemble.addTo(node, "target");
        OnnxMl.ModelProto model = asTensors(node.add().buildProto(), true);
        OnnxMl.ModelProto.Builder builder = model.toBuilder();
        OnnxMl.NodeProto.Builder tree = builder.getGraphBuilder().getNodeBuilder(0);
        for (OnnxMl.AttributeProto.Builder attribute : tree.getAttributeBuilderList()) {
            if (attribute.getName().equals("nodes_values_as_tensor")) {
                double[] values = new double[ensemble.values.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = ensemble.values.get(i) + 0.1;
                }
                attribute.setT(tensor(values, true));
            }
        }
        compare(builder.build(), "double thresholds", true, 1, random, false);
    }

    @Test
    void sharedTrueChildren()
            throws OrtException
    {
        // set membership as converters write it: a chain of BRANCH_EQ whose true branches all lead to node 3
        OnnxMl.ModelProto model = graph(false, 2, 1, false)
                .mlNode("TreeEnsembleRegressor").inputs("X").outputs("Y")
                .attribute("n_targets", 1L)
                .ints("nodes_treeids", 0, 0, 0, 0, 0).ints("nodes_nodeids", 0, 1, 2, 3, 4).ints("nodes_featureids", 0, 0, 0, 0, 0)
                .strings("nodes_modes", "BRANCH_EQ", "BRANCH_EQ", "BRANCH_EQ", "LEAF", "LEAF").floats("nodes_values", 1, -0.5f, 3, 0, 0)
                .ints("nodes_truenodeids", 3, 3, 3, 0, 0).ints("nodes_falsenodeids", 1, 2, 4, 0, 0)
                .ints("target_treeids", 0, 0).ints("target_nodeids", 3, 4).ints("target_ids", 0, 0).floats("target_weights", 1, 2)
                .add().buildProto();
        compare(model, "set membership", false, 2, new Random(3), false);
    }

    @Test
    void malformedTreesAreRefused()
    {
        // node 0 branches to 1 (true) and 2 (false); node 1 branches to 3 and 4; 2, 3 and 4 are leaves
        String[] modes = {"BRANCH_LEQ", "BRANCH_LEQ", "LEAF", "LEAF", "LEAF"};
        assertThat(CompiledModel.compile(tree(modes, new long[] {1, 3, 0, 0, 0}, new long[] {2, 4, 0, 0, 0}, new long[] {0, 1, 0, 0, 0})).stepCount()).isEqualTo(1);
        assertRefused(tree(modes, new long[] {7, 3, 0, 0, 0}, new long[] {2, 4, 0, 0, 0}, new long[] {0, 1, 0, 0, 0}), "is not a node");
        assertRefused(tree(modes, new long[] {1, 3, 0, 0, 0}, new long[] {2, -1, 0, 0, 0}, new long[] {0, 1, 0, 0, 0}), "is not a node");
        assertRefused(tree(modes, new long[] {1, 3, 0, 0, 0}, new long[] {2, 4, 0, 0, 0}, new long[] {0, 3, 0, 0, 0}), "reads feature 3");
        assertRefused(tree(modes, new long[] {1, 3, 0, 0, 0}, new long[] {2, 4, 0, 0, 0}, new long[] {0, -1, 0, 0, 0}), "reads feature -1");
        assertRefused(tree(modes, new long[] {1, 1, 0, 0, 0}, new long[] {2, 4, 0, 0, 0}, new long[] {0, 1, 0, 0, 0}), "its own child");
        assertRefused(tree(modes, new long[] {1, 3, 0, 0, 0}, new long[] {2, 3, 0, 0, 0}, new long[] {0, 1, 0, 0, 0}), "false child with another parent");
        // node 1's true child is the root
        assertRefused(tree(modes, new long[] {1, 0, 0, 0, 0}, new long[] {2, 4, 0, 0, 0}, new long[] {0, 1, 0, 0, 0}), "cycle");
        assertRefused(tree(new String[] {"BRANCH_LEQ", "LEAF", "LEAF", "LEAF", "LEAF"}, new long[] {1, 0, 0, 0, 0}, new long[] {2, 0, 0, 0, 0}, new long[] {0, 0, 0, 0, 0}), "out of reach");
    }

    private static void assertRefused(OnnxMl.ModelProto model, String reason)
    {
        assertThatThrownBy(() -> CompiledModel.compile(model))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void unsupportedAttributesAreRefused()
    {
        OnnxGraphBuilder.NodeBuilder node = graph(false, 2, 1, false)
                .mlNode("TreeEnsembleRegressor").inputs("X").outputs("Y")
                .attribute("n_targets", 1L)
                .attribute("aggregate_function", "MEDIAN");
        Ensemble.random(new Random(1), 2, 1, 1, false).addTo(node, "target");
        assertThatThrownBy(() -> CompiledModel.compile(node.add().buildProto()))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageContaining("MEDIAN");

        OnnxGraphBuilder.NodeBuilder member = graph(false, 2, 1, false)
                .mlNode("TreeEnsembleRegressor").inputs("X").outputs("Y")
                .attribute("n_targets", 1L)
                .ints("nodes_treeids", 0, 0, 0).ints("nodes_nodeids", 0, 1, 2).ints("nodes_featureids", 0, 0, 0)
                .strings("nodes_modes", "BRANCH_MEMBER", "LEAF", "LEAF").floats("nodes_values", 1, 0, 0)
                .ints("nodes_truenodeids", 1, 0, 0).ints("nodes_falsenodeids", 2, 0, 0)
                .ints("target_treeids", 0, 0).ints("target_nodeids", 1, 2).ints("target_ids", 0, 0).floats("target_weights", 1, 2);
        assertThatThrownBy(() -> CompiledModel.compile(member.add().buildProto()))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageContaining("BRANCH_MEMBER");
    }

    // one tree of five nodes over three features, a weight on each node (ONNX Runtime ignores those of branch nodes)
    private static OnnxMl.ModelProto tree(String[] modes, long[] trueIds, long[] falseIds, long[] featureIds)
    {
        return graph(false, 3, 1, false)
                .mlNode("TreeEnsembleRegressor").inputs("X").outputs("Y")
                .attribute("n_targets", 1L)
                .ints("nodes_treeids", 0, 0, 0, 0, 0).ints("nodes_nodeids", 0, 1, 2, 3, 4).ints("nodes_featureids", featureIds)
                .strings("nodes_modes", modes).floats("nodes_values", 1, 2, 0, 0, 0)
                .ints("nodes_truenodeids", trueIds).ints("nodes_falsenodeids", falseIds)
                .ints("target_treeids", 0, 0, 0, 0, 0).ints("target_nodeids", 0, 1, 2, 3, 4).ints("target_ids", 0, 0, 0, 0, 0)
                .floats("target_weights", 1, 2, 3, 4, 5)
                .add().buildProto();
    }

    private static OnnxGraphBuilder graph(boolean doubles, int features, int targets, boolean classifier)
    {
        return graph(doubles, features, targets, classifier ? 1 : 0);
    }

    /**
     * @param labels 0 for a regressor, 1 for int64 labels, 2 for string labels
     */
    private static OnnxGraphBuilder graph(boolean doubles, int features, int targets, int labels)
    {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("trees")
                .opset("", 17)
                .opset(ML_DOMAIN, 3)
                .input("X", doubles ? ElementType.DOUBLE : ElementType.FLOAT, -1, features);
        if (labels == 0) {
            return graph.output("Y", ElementType.FLOAT, -1, targets);
        }
        return graph.output("label", labels == 1 ? ElementType.INT64 : ElementType.STRING, -1)
                .output("scores", ElementType.FLOAT, -1, targets);
    }

    private void compare(OnnxMl.ModelProto model, String description, boolean doubles, int features, Random random, boolean transcendental)
            throws OrtException
    {
        double[][] rows = new double[ROWS][features];
        for (double[] row : rows) {
            for (int i = 0; i < features; i++) {
                row[i] = randomInput(random, doubles);
            }
        }
        List<Object> expected;
        try {
            expected = runOnnxRuntime(model.toByteArray(), rows, doubles);
        }
        catch (OrtException e) {
            // what ONNX Runtime refuses, the compiler refuses too
            assertThatThrownBy(() -> CompiledModel.compile(model)).as(description + ": " + e.getMessage()).isInstanceOf(UnsupportedGraphException.class);
            return;
        }
        CompiledModel compiled = CompiledModel.compile(model);
        Frame frame = compiled.newFrame();
        Value input = compiled.inputs().get(0);
        for (int row = 0; row < ROWS; row++) {
            System.arraycopy(rows[row], 0, frame.numbers(), input.offset(), features);
            compiled.evaluate(frame);
            compareRow(compiled, frame, expected, row, description + ", row " + row + " " + Arrays.toString(rows[row]), transcendental);
        }
    }

    private static void compareRow(CompiledModel compiled, Frame frame, List<Object> expected, int row, String description, boolean transcendental)
    {
        for (int output = 0; output < expected.size(); output++) {
            Value value = compiled.outputs().get(output).value();
            String where = description + ", output " + output;
            Object reference = expected.get(output);
            if (reference instanceof float[][] scores) {
                for (int k = 0; k < scores[row].length; k++) {
                    assertScore(where + "[" + k + "]", scores[row][k], frame.numbers()[value.offset() + k], transcendental);
                }
            }
            else if (reference instanceof long[] labels) {
                assertThat((long) frame.numbers()[value.offset()]).as(where).isEqualTo(labels[row]);
            }
            else if (reference instanceof String[] labels) {
                assertThat(frame.texts()[value.offset()]).as(where).isEqualTo(labels[row]);
            }
            else {
                fail("unexpected output " + reference);
            }
        }
    }

    private static void assertScore(String where, float expected, double actual, boolean transcendental)
    {
        assertThat(Double.doubleToLongBits((float) actual)).as(where + ": " + actual + " is a float").isEqualTo(Double.doubleToLongBits(actual));
        if (!transcendental || Float.isNaN(expected) || Float.isInfinite(expected)) {
            assertThat(Float.floatToIntBits((float) actual)).as(where + ": " + actual + " for " + expected).isEqualTo(Float.floatToIntBits(expected));
            return;
        }
        float tolerance = TRANSFORM_ULPS * Math.ulp(Math.max(Math.abs(expected), Float.MIN_NORMAL));
        assertThat(Math.abs((float) actual - expected)).as(where + ": " + actual + " for " + expected).isLessThanOrEqualTo(tolerance);
    }

    private List<Object> runOnnxRuntime(byte[] model, double[][] rows, boolean doubles)
            throws OrtException
    {
        int features = rows[0].length;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(model, options)) {
                OnnxTensor tensor;
                long[] shape = {rows.length, features};
                if (doubles) {
                    DoubleBuffer buffer = DoubleBuffer.allocate(rows.length * features);
                    for (double[] row : rows) {
                        buffer.put(row);
                    }
                    tensor = OnnxTensor.createTensor(environment, buffer.flip(), shape);
                }
                else {
                    FloatBuffer buffer = FloatBuffer.allocate(rows.length * features);
                    for (double[] row : rows) {
                        for (double value : row) {
                            buffer.put((float) value);
                        }
                    }
                    tensor = OnnxTensor.createTensor(environment, buffer.flip(), shape);
                }
                try (tensor; OrtSession.Result result = session.run(Map.of("X", tensor))) {
                    List<Object> outputs = new ArrayList<>();
                    for (Map.Entry<String, OnnxValue> output : result) {
                        outputs.add(output.getValue().getValue());
                    }
                    return outputs;
                }
            }
        }
    }

    private static double randomInput(Random random, boolean doubles)
    {
        int kind = random.nextInt(20);
        return switch (kind) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
            case 3 -> -0.0;
            case 4, 5, 6, 7 -> doubles ? random.nextGaussian() * 2 : (float) (random.nextGaussian() * 2);
            case 8 -> THRESHOLDS[random.nextInt(THRESHOLDS.length)] + (doubles ? 0.1 : 0.1f);
            default -> THRESHOLDS[random.nextInt(THRESHOLDS.length)];
        };
    }

    private static float[] randomWeights(Random random, int count)
    {
        float[] weights = new float[count];
        for (int i = 0; i < count; i++) {
            weights[i] = WEIGHTS[random.nextInt(WEIGHTS.length)];
        }
        return weights;
    }

    /**
     * Moves the float list attributes (thresholds, weights, base values) into their {@code _as_tensor} twins.
     */
    private static OnnxMl.ModelProto asTensors(OnnxMl.ModelProto model, boolean doubles)
    {
        OnnxMl.ModelProto.Builder builder = model.toBuilder();
        OnnxMl.NodeProto.Builder node = builder.getGraphBuilder().getNodeBuilder(0);
        for (OnnxMl.AttributeProto.Builder attribute : node.getAttributeBuilderList()) {
            if (attribute.getType() == OnnxMl.AttributeProto.AttributeType.FLOATS) {
                double[] values = attribute.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
                attribute.setName(attribute.getName() + "_as_tensor")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                        .clearFloats()
                        .setT(tensor(values, doubles));
            }
        }
        return builder.build();
    }

    private static OnnxMl.TensorProto tensor(double[] values, boolean doubles)
    {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * (doubles ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            if (doubles) {
                buffer.putDouble(value);
            }
            else {
                buffer.putFloat((float) value);
            }
        }
        return OnnxMl.TensorProto.newBuilder()
                .setDataType((doubles ? ElementType.DOUBLE : ElementType.FLOAT).onnxCode())
                .addDims(values.length)
                .setRawData(ByteString.copyFrom(buffer.array()))
                .build();
    }

    /**
     * The attributes of random trees: node ids shuffled (the root listed first, as ONNX Runtime expects), weights
     * listed in random order, a few leaves with several weights for a target.
     */
    private static final class Ensemble
    {
        private final List<Long> treeIds = new ArrayList<>();
        private final List<Long> nodeIds = new ArrayList<>();
        private final List<Long> featureIds = new ArrayList<>();
        private final List<String> modes = new ArrayList<>();
        private final List<Float> values = new ArrayList<>();
        private final List<Long> trueIds = new ArrayList<>();
        private final List<Long> falseIds = new ArrayList<>();
        private final List<Long> missing = new ArrayList<>();
        private final List<long[]> weightKeys = new ArrayList<>();
        private final List<Float> weights = new ArrayList<>();

        static Ensemble random(Random random, int features, int targets, int weighed, boolean extreme)
        {
            Ensemble ensemble = new Ensemble();
            int trees = 1 + random.nextInt(20);
            String mode = random.nextInt(3) == 0 ? null : MODES[random.nextInt(MODES.length)];
            int missing = random.nextInt(3);
            for (int tree = 0; tree < trees; tree++) {
                List<int[]> nodes = new ArrayList<>();
                grow(random, nodes, 1 + random.nextInt(5));
                List<Integer> ids = new ArrayList<>();
                for (int i = 1; i < nodes.size(); i++) {
                    ids.add(i);
                }
                Collections.shuffle(ids, random);
                ids.add(0, 0);
                List<Integer> order = new ArrayList<>(ids.subList(1, ids.size()));
                Collections.shuffle(order, random);
                order.add(0, 0);
                for (int index : order) {
                    int[] node = nodes.get(index);
                    ensemble.treeIds.add((long) tree);
                    ensemble.nodeIds.add((long) ids.get(index));
                    boolean leaf = node[0] < 0;
                    ensemble.featureIds.add(leaf ? 0L : random.nextInt(features));
                    ensemble.modes.add(leaf ? "LEAF" : mode != null ? mode : MODES[random.nextInt(MODES.length)]);
                    ensemble.values.add(leaf ? 0 : THRESHOLDS[random.nextInt(THRESHOLDS.length)]);
                    ensemble.trueIds.add(leaf ? 0L : ids.get(node[0]));
                    ensemble.falseIds.add(leaf ? 0L : ids.get(node[1]));
                    ensemble.missing.add(missing == 0 ? 0L : missing == 1 ? 1L : random.nextInt(2));
                    if (leaf) {
                        int first = weighed == targets ? random.nextInt(targets) : 0;
                        boolean all = weighed == targets && random.nextBoolean();
                        for (int target = 0; target < targets; target++) {
                            if (all || target == first) {
                                ensemble.weightKeys.add(new long[] {tree, ids.get(index), target});
                                ensemble.weights.add(weight(random, extreme));
                            }
                        }
                        if (random.nextInt(10) == 0) {
                            ensemble.weightKeys.add(new long[] {tree, ids.get(index), first});
                            ensemble.weights.add(weight(random, extreme));
                        }
                    }
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < ensemble.weights.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            List<long[]> keys = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            for (int i : order) {
                keys.add(ensemble.weightKeys.get(i));
                weights.add(ensemble.weights.get(i));
            }
            ensemble.weightKeys.clear();
            ensemble.weightKeys.addAll(keys);
            ensemble.weights.clear();
            ensemble.weights.addAll(weights);
            return ensemble;
        }

        // nodes as {true child, false child} in preorder, {-1, -1} for a leaf; returns the node's index
        private static int grow(Random random, List<int[]> nodes, int depth)
        {
            int[] node = {-1, -1};
            nodes.add(node);
            int index = nodes.size() - 1;
            if (depth > 0 && random.nextInt(5) != 0) {
                node[0] = grow(random, nodes, depth - 1);
                node[1] = grow(random, nodes, depth - 1);
            }
            return index;
        }

        private static float weight(Random random, boolean extreme)
        {
            if (extreme && random.nextInt(4) == 0) {
                float[] extremes = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -0.0f};
                return extremes[random.nextInt(extremes.length)];
            }
            return WEIGHTS[random.nextInt(WEIGHTS.length)];
        }

        // the weights of a binary classifier with one class name class 1 instead of 0
        void shiftClasses()
        {
            for (long[] key : weightKeys) {
                key[2] = 1;
            }
        }

        void positiveWeights()
        {
            weights.replaceAll(Math::abs);
        }

        void addTo(OnnxGraphBuilder.NodeBuilder node, String prefix)
        {
            node.ints("nodes_treeids", longs(treeIds))
                    .ints("nodes_nodeids", longs(nodeIds))
                    .ints("nodes_featureids", longs(featureIds))
                    .strings("nodes_modes", modes.toArray(String[]::new))
                    .floats("nodes_values", floats(values))
                    .ints("nodes_truenodeids", longs(trueIds))
                    .ints("nodes_falsenodeids", longs(falseIds))
                    .ints("nodes_missing_value_tracks_true", longs(missing))
                    .ints(prefix + "_treeids", weightKeys.stream().mapToLong(key -> key[0]).toArray())
                    .ints(prefix + "_nodeids", weightKeys.stream().mapToLong(key -> key[1]).toArray())
                    .ints(prefix + "_ids", weightKeys.stream().mapToLong(key -> key[2]).toArray())
                    .floats(prefix + "_weights", floats(weights));
        }

        private static long[] longs(List<Long> values)
        {
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private static float[] floats(List<Float> values)
        {
            float[] floats = new float[values.size()];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = values.get(i);
            }
            return floats;
        }
    }
}
