package io.onyxml.store.testing;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.Floats;
import com.google.common.primitives.Longs;
import io.onyxml.store.onnx.OnnxGraphBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.onyxml.store.ElementType.BOOL;
import static io.onyxml.store.ElementType.DOUBLE;
import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ElementType.INT64;
import static io.onyxml.store.ElementType.STRING;
import static io.onyxml.store.onnx.OnnxGraphBuilder.ML_DOMAIN;

/**
 * The ONNX models the tests score, built in Java, each with a reference implementation in plain Java arithmetic so
 * that expected outputs are computed independently of ONNX Runtime.
 */
public final class TestModels
{
    private static final long DYNAMIC = -1;

    public static final float[] LINEAR_WEIGHTS = {0.5f, -1.25f, 2.0f, 0.75f};
    public static final float LINEAR_BIAS = 3.0f;
    public static final List<String> LINEAR_FEATURES = ImmutableList.of("a", "b", "c", "d");

    private TestModels() {}

    /**
     * {@code y = x · w + b}: input {@code x float[N,4]}, output {@code y float[N,1]} (MatMul, Add).
     */
    public static byte[] linearRegression()
    {
        return new OnnxGraphBuilder("linear_regression")
                .input("x", FLOAT, DYNAMIC, 4)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("w", LINEAR_WEIGHTS, 4, 1)
                .floatInitializer("b", new float[] {LINEAR_BIAS}, 1)
                .node("MatMul").inputs("x", "w").outputs("xw").add()
                .node("Add").inputs("xw", "b").outputs("y").add()
                .build();
    }

    public static double linearReference(double... x)
    {
        double sum = LINEAR_BIAS;
        for (int i = 0; i < LINEAR_WEIGHTS.length; i++) {
            sum += LINEAR_WEIGHTS[i] * x[i];
        }
        return sum;
    }

    /**
     * A multi-layer perceptron {@code inputs -> hidden -> hidden -> outputs} with ReLU activations (Gemm, Relu),
     * weights drawn from a seeded generator.
     */
    public static Mlp mlp(int inputs, int hidden, int outputs, long seed)
    {
        Random random = new Random(seed);
        float[] w1 = randomWeights(random, inputs * hidden, inputs);
        float[] b1 = randomWeights(random, hidden, inputs);
        float[] w2 = randomWeights(random, hidden * hidden, hidden);
        float[] b2 = randomWeights(random, hidden, hidden);
        float[] w3 = randomWeights(random, hidden * outputs, hidden);
        float[] b3 = randomWeights(random, outputs, hidden);
        byte[] bytes = new OnnxGraphBuilder("mlp")
                .input("x", FLOAT, DYNAMIC, inputs)
                .output("y", FLOAT, DYNAMIC, outputs)
                .floatInitializer("w1", w1, inputs, hidden)
                .floatInitializer("b1", b1, hidden)
                .floatInitializer("w2", w2, hidden, hidden)
                .floatInitializer("b2", b2, hidden)
                .floatInitializer("w3", w3, hidden, outputs)
                .floatInitializer("b3", b3, outputs)
                .node("Gemm").inputs("x", "w1", "b1").outputs("h1").add()
                .node("Relu").inputs("h1").outputs("r1").add()
                .node("Gemm").inputs("r1", "w2", "b2").outputs("h2").add()
                .node("Relu").inputs("h2").outputs("r2").add()
                .node("Gemm").inputs("r2", "w3", "b3").outputs("y").add()
                .build();
        return new Mlp(bytes, inputs, hidden, outputs, new float[][] {w1, w2, w3}, new float[][] {b1, b2, b3});
    }

    private static float[] randomWeights(Random random, int count, int fanIn)
    {
        float scale = (float) (1 / Math.sqrt(fanIn));
        float[] weights = new float[count];
        for (int i = 0; i < count; i++) {
            weights[i] = (float) (random.nextGaussian() * scale);
        }
        return weights;
    }

    public record Mlp(byte[] bytes, int inputs, int hidden, int outputs, float[][] weights, float[][] biases)
    {
        public double[] reference(double... x)
        {
            double[] h1 = relu(layer(x, weights[0], biases[0], hidden));
            double[] h2 = relu(layer(h1, weights[1], biases[1], hidden));
            return layer(h2, weights[2], biases[2], outputs);
        }

        private static double[] layer(double[] x, float[] weights, float[] bias, int width)
        {
            double[] out = new double[width];
            for (int j = 0; j < width; j++) {
                double sum = bias[j];
                for (int i = 0; i < x.length; i++) {
                    sum += x[i] * weights[i * width + j];
                }
                out[j] = sum;
            }
            return out;
        }

        private static double[] relu(double[] values)
        {
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = Math.max(0, values[i]);
            }
            return out;
        }
    }

    /**
     * Two regression trees over {@code x float[N,3]} summed with a base value (ai.onnx.ml TreeEnsembleRegressor):
     * <pre>
     * tree 0: x0 <= 0.5 ? (x1 <= 2.0 ? 1.0 : 2.0) : 3.0
     * tree 1: x2 <= -1.0 ? -0.5 : 0.25
     * y = 0.5 + tree0 + tree1
     * </pre>
     */
    public static byte[] treeEnsemble()
    {
        return new OnnxGraphBuilder("tree_ensemble")
                .opset(ML_DOMAIN, 3)
                .input("x", FLOAT, DYNAMIC, 3)
                .output("y", FLOAT, DYNAMIC, 1)
                .mlNode("TreeEnsembleRegressor").inputs("x").outputs("y")
                .ints("nodes_treeids", 0, 0, 0, 0, 0, 1, 1, 1)
                .ints("nodes_nodeids", 0, 1, 2, 3, 4, 0, 1, 2)
                .ints("nodes_featureids", 0, 1, 0, 0, 0, 2, 0, 0)
                .strings("nodes_modes", "BRANCH_LEQ", "BRANCH_LEQ", "LEAF", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF")
                .floats("nodes_values", 0.5f, 2.0f, 0, 0, 0, -1.0f, 0, 0)
                .ints("nodes_truenodeids", 1, 3, 0, 0, 0, 1, 0, 0)
                .ints("nodes_falsenodeids", 2, 4, 0, 0, 0, 2, 0, 0)
                .ints("target_treeids", 0, 0, 0, 1, 1)
                .ints("target_nodeids", 2, 3, 4, 1, 2)
                .ints("target_ids", 0, 0, 0, 0, 0)
                .floats("target_weights", 3.0f, 1.0f, 2.0f, -0.5f, 0.25f)
                .attribute("n_targets", 1L)
                .attribute("aggregate_function", "SUM")
                .floats("base_values", 0.5f)
                .attribute("post_transform", "NONE")
                .add()
                .build();
    }

    public static double treeEnsembleReference(float... x)
    {
        double tree0 = x[0] <= 0.5f ? (x[1] <= 2.0f ? 1.0 : 2.0) : 3.0;
        double tree1 = x[2] <= -1.0f ? -0.5 : 0.25;
        return 0.5 + tree0 + tree1;
    }

    /**
     * A random ensemble of complete binary trees as XGBoost exports one: {@code TreeEnsembleRegressor} over
     * {@code x float[N, F]}, every branch {@code BRANCH_LT} with thresholds drawn between {@code low} and {@code high}
     * of its feature, missing values sent down the true branch of every other node, base value 0.5, summed.
     */
    public static Forest forest(int trees, int depth, float[] low, float[] high, long seed)
    {
        Random random = new Random(seed);
        int features = low.length;
        int nodesPerTree = (1 << (depth + 1)) - 1;
        int branches = (1 << depth) - 1;
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Float> thresholds = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> targetTrees = new ArrayList<>();
        List<Long> targetNodes = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        int[][] feature = new int[trees][branches];
        float[][] threshold = new float[trees][branches];
        boolean[][] missingLeft = new boolean[trees][branches];
        float[][] leaves = new float[trees][nodesPerTree - branches];
        for (int tree = 0; tree < trees; tree++) {
            for (int node = 0; node < nodesPerTree; node++) {
                treeIds.add((long) tree);
                nodeIds.add((long) node);
                if (node < branches) {
                    int f = random.nextInt(features);
                    float t = low[f] + random.nextFloat() * (high[f] - low[f]);
                    feature[tree][node] = f;
                    threshold[tree][node] = t;
                    missingLeft[tree][node] = node % 2 == 0;
                    featureIds.add((long) f);
                    modes.add("BRANCH_LT");
                    thresholds.add(t);
                    trueIds.add(2L * node + 1);
                    falseIds.add(2L * node + 2);
                    missingTrue.add(missingLeft[tree][node] ? 1L : 0L);
                }
                else {
                    float weight = (float) (random.nextGaussian() * 0.1);
                    leaves[tree][node - branches] = weight;
                    featureIds.add(0L);
                    modes.add("LEAF");
                    thresholds.add(0f);
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    targetTrees.add((long) tree);
                    targetNodes.add((long) node);
                    weights.add(weight);
                }
            }
        }
        byte[] bytes = new OnnxGraphBuilder("forest")
                .opset(ML_DOMAIN, 3)
                .input("x", FLOAT, DYNAMIC, features)
                .output("y", FLOAT, DYNAMIC, 1)
                .mlNode("TreeEnsembleRegressor").inputs("x").outputs("y")
                .ints("nodes_treeids", Longs.toArray(treeIds))
                .ints("nodes_nodeids", Longs.toArray(nodeIds))
                .ints("nodes_featureids", Longs.toArray(featureIds))
                .strings("nodes_modes", modes.toArray(String[]::new))
                .floats("nodes_values", Floats.toArray(thresholds))
                .ints("nodes_truenodeids", Longs.toArray(trueIds))
                .ints("nodes_falsenodeids", Longs.toArray(falseIds))
                .ints("nodes_missing_value_tracks_true", Longs.toArray(missingTrue))
                .ints("target_treeids", Longs.toArray(targetTrees))
                .ints("target_nodeids", Longs.toArray(targetNodes))
                .ints("target_ids", new long[targetTrees.size()])
                .floats("target_weights", Floats.toArray(weights))
                .attribute("n_targets", 1L)
                .attribute("aggregate_function", "SUM")
                .floats("base_values", 0.5f)
                .attribute("post_transform", "NONE")
                .add()
                .build();
        return new Forest(bytes, depth, feature, threshold, missingLeft, leaves);
    }

    public record Forest(byte[] bytes, int depth, int[][] features, float[][] thresholds, boolean[][] missingLeft, float[][] leaves)
    {
        /**
         * The sum in float, tree by tree, plus the base value, as ONNX Runtime computes it.
         */
        public float reference(float... x)
        {
            float sum = 0;
            int branches = (1 << depth) - 1;
            for (int tree = 0; tree < features.length; tree++) {
                int node = 0;
                while (node < branches) {
                    float value = x[features[tree][node]];
                    boolean left = Float.isNaN(value) ? missingLeft[tree][node] : value < thresholds[tree][node];
                    node = left ? 2 * node + 1 : 2 * node + 2;
                }
                sum += leaves[tree][node - branches];
            }
            return sum + 0.5f;
        }
    }

    public static final List<String> CLASSIFIER_LABELS = ImmutableList.of("setosa", "versicolor", "virginica");
    private static final float[] CLASSIFIER_COEFFICIENTS = {
            1.5f, -0.5f, 0.25f, -1.0f,
            -0.25f, 0.75f, -0.5f, 0.5f,
            -1.0f, -0.25f, 0.5f, 1.0f};
    private static final float[] CLASSIFIER_INTERCEPTS = {0.5f, 0.0f, -0.5f};

    /**
     * A linear classifier over {@code x float[N,4]} with string labels, converted the way scikit-learn-onnx converts
     * classifiers: outputs {@code label string[N]} and {@code probabilities}, a ZipMap sequence of
     * {@code map(string, float)} (LinearClassifier with softmax, ZipMap).
     */
    public static byte[] classifier()
    {
        return new OnnxGraphBuilder("classifier")
                .opset(ML_DOMAIN, 3)
                .input("x", FLOAT, DYNAMIC, 4)
                .output("label", STRING, DYNAMIC)
                .sequenceOfMapsOutput("probabilities", STRING, FLOAT)
                .mlNode("LinearClassifier").inputs("x").outputs("label", "scores")
                .floats("coefficients", CLASSIFIER_COEFFICIENTS)
                .floats("intercepts", CLASSIFIER_INTERCEPTS)
                .strings("classlabels_strings", CLASSIFIER_LABELS.toArray(String[]::new))
                .attribute("multi_class", 0L)
                .attribute("post_transform", "SOFTMAX")
                .add()
                .mlNode("ZipMap").inputs("scores").outputs("probabilities")
                .strings("classlabels_strings", CLASSIFIER_LABELS.toArray(String[]::new))
                .add()
                .build();
    }

    public static double[] classifierProbabilities(double... x)
    {
        int classes = CLASSIFIER_LABELS.size();
        double[] scores = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double score = CLASSIFIER_INTERCEPTS[c];
            for (int f = 0; f < 4; f++) {
                score += CLASSIFIER_COEFFICIENTS[c * 4 + f] * x[f];
            }
            scores[c] = score;
            max = Math.max(max, score);
        }
        double total = 0;
        for (int c = 0; c < classes; c++) {
            scores[c] = Math.exp(scores[c] - max);
            total += scores[c];
        }
        for (int c = 0; c < classes; c++) {
            scores[c] /= total;
        }
        return scores;
    }

    public static String classifierLabel(double... x)
    {
        double[] probabilities = classifierProbabilities(x);
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return CLASSIFIER_LABELS.get(best);
    }

    /**
     * Two inputs of different types: {@code embedding float[N,3]} and {@code count int64[N]};
     * output {@code y float[N] = sum(embedding) + count} (ReduceSum, Cast, Add).
     */
    public static byte[] twoInputs()
    {
        return new OnnxGraphBuilder("two_inputs")
                .input("embedding", FLOAT, DYNAMIC, 3)
                .input("count", INT64, DYNAMIC)
                .output("y", FLOAT, DYNAMIC)
                .longInitializer("axes", new long[] {1}, 1)
                .node("ReduceSum").inputs("embedding", "axes").outputs("total").attribute("keepdims", 0L).add()
                .node("Cast").inputs("count").outputs("count_float").attribute("to", (long) FLOAT.onnxCode()).add()
                .node("Add").inputs("total", "count_float").outputs("y").add()
                .build();
    }

    public static double twoInputsReference(float[] embedding, long count)
    {
        double sum = 0;
        for (float value : embedding) {
            sum += value;
        }
        return sum + count;
    }

    /**
     * {@code y = x · [2, -3] + 0.25} in double precision: input {@code x double[N,2]}, output {@code y double[N,1]}.
     */
    public static byte[] doubleLinear()
    {
        return new OnnxGraphBuilder("double_linear")
                .input("x", DOUBLE, DYNAMIC, 2)
                .output("y", DOUBLE, DYNAMIC, 1)
                .doubleInitializer("w", new double[] {2, -3}, 2, 1)
                .doubleInitializer("b", new double[] {0.25}, 1)
                .node("MatMul").inputs("x", "w").outputs("xw").add()
                .node("Add").inputs("xw", "b").outputs("y").add()
                .build();
    }

    public static double doubleLinearReference(double x0, double x1)
    {
        return 2 * x0 - 3 * x1 + 0.25;
    }

    public static final Map<String, Float> CITY_CODES = Map.of("paris", 1f, "tokyo", 2f, "lima", 3f);

    /**
     * One input per column, of three types, as scikit-learn-onnx converts a pipeline over a table:
     * {@code age float[N,1]}, {@code city string[N,1]}, {@code member bool[N,1]};
     * output {@code score float[N,1] = 0.5 * age + code(city) + 10 * member}, where unknown cities have code 0
     * (LabelEncoder, Cast, Mul, Add).
     */
    public static byte[] mixedColumns()
    {
        return new OnnxGraphBuilder("mixed_columns")
                .opset(ML_DOMAIN, 3)
                .input("age", FLOAT, DYNAMIC, 1)
                .input("city", STRING, DYNAMIC, 1)
                .input("member", BOOL, DYNAMIC, 1)
                .output("score", FLOAT, DYNAMIC, 1)
                .floatInitializer("half", new float[] {0.5f}, 1)
                .floatInitializer("ten", new float[] {10f}, 1)
                .mlNode("LabelEncoder").inputs("city").outputs("city_code")
                .strings("keys_strings", "paris", "tokyo", "lima")
                .floats("values_floats", 1f, 2f, 3f)
                .attribute("default_float", 0f)
                .add()
                .node("Cast").inputs("member").outputs("member_float").attribute("to", (long) FLOAT.onnxCode()).add()
                .node("Mul").inputs("age", "half").outputs("half_age").add()
                .node("Mul").inputs("member_float", "ten").outputs("member_points").add()
                .node("Add").inputs("half_age", "city_code").outputs("partial").add()
                .node("Add").inputs("partial", "member_points").outputs("score").add()
                .build();
    }

    public static double mixedColumnsReference(double age, String city, boolean member)
    {
        return 0.5 * age + CITY_CODES.getOrDefault(city, 0f) + (member ? 10 : 0);
    }
}
