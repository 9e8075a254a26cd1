package io.onyxml.training.trees;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.common.collect.ImmutableList;
import io.onyxml.training.onnx.TreeEnsembleGraph;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boosters trained here with XGBoost4J, converted by Onyx from their JSON, and scored in ONNX Runtime: the results
 * equal XGBoost's own predictions, rows with missing values included.
 */
class TestXGBoostConversion
{
    private static final int ROWS = 600;
    private static final int FEATURES = 4;

    @Test
    void regression()
            throws Exception
    {
        float[] data = data();
        float[] label = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            label[i] = (float) (3 * value(data, i, 0) - 2 * value(data, i, 1) + Math.sin(i) + (Float.isNaN(data[i * FEATURES + 2]) ? 5 : 0));
        }
        compare(train(data, label, Map.of("objective", "reg:squarederror")), data, List.of(), false);
    }

    @Test
    void binary()
            throws Exception
    {
        float[] data = data();
        float[] label = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            label[i] = value(data, i, 0) + Math.sin(i * 3.1) > 0 ? 1 : 0;
        }
        compare(train(data, label, Map.of("objective", "binary:logistic")), data, List.of("0", "1"), true);
    }

    @Test
    void multiclass()
            throws Exception
    {
        float[] data = data();
        float[] label = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            label[i] = value(data, i, 0) > 0.5 ? 2 : Float.isNaN(data[i * FEATURES + 3]) ? 1 : 0;
        }
        compare(train(data, label, Map.of("objective", "multi:softprob", "num_class", 3)), data, List.of("a", "b", "c"), true);
    }

    private static void compare(Booster booster, float[] data, List<String> classes, boolean classifier)
            throws Exception
    {
        XGBoostJson.Parsed parsed = XGBoostJson.parse(booster.toByteArray("json"), "test");
        assertThat(parsed.rounds()).isEqualTo(30);
        DMatrix matrix = new DMatrix(data, ROWS, FEATURES, Float.NaN);
        float[][] expected = booster.predict(matrix);
        float[][] margins = booster.predict(matrix, true);

        // the Java walk of the converted trees gives XGBoost's margins
        float[] row = new float[FEATURES];
        float[] walked = new float[parsed.ensemble().outputs()];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(data, i * FEATURES, row, 0, FEATURES);
            parsed.ensemble().margins(row, walked);
            for (int k = 0; k < walked.length; k++) {
                assertThat(walked[k]).isCloseTo(margins[i][k], org.assertj.core.data.Offset.offset(1e-5f * Math.max(1, Math.abs(margins[i][k]))));
            }
        }

        byte[] onnx = TreeEnsembleGraph.export("converted", parsed.ensemble(), ImmutableList.of("f0", "f1", "f2", "f3"), classes);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(data), new long[] {ROWS, FEATURES});
                OrtSession.Result result = session.run(Map.of("features", input))) {
            if (!classifier) {
                double[][] prediction = (double[][]) result.get("prediction").orElseThrow().getValue();
                for (int i = 0; i < ROWS; i++) {
                    assertRelative(prediction[i][0], expected[i][0]);
                }
                return;
            }
            double[][] probabilities = (double[][]) result.get("probabilities").orElseThrow().getValue();
            for (int i = 0; i < ROWS; i++) {
                if (classes.size() == 2) {
                    assertRelative(probabilities[i][1], expected[i][0]);
                    assertRelative(probabilities[i][0], 1 - expected[i][0]);
                }
                else {
                    for (int k = 0; k < classes.size(); k++) {
                        assertRelative(probabilities[i][k], expected[i][k]);
                    }
                }
            }
        }
        finally {
            matrix.dispose();
            booster.dispose();
        }
    }

    private static Booster train(float[] data, float[] label, Map<String, Object> objective)
            throws Exception
    {
        DMatrix matrix = new DMatrix(data, ROWS, FEATURES, Float.NaN);
        matrix.setLabel(label);
        Map<String, Object> parameters = new HashMap<>(objective);
        parameters.put("max_depth", 4);
        parameters.put("eta", 0.3);
        parameters.put("tree_method", "hist");
        parameters.put("verbosity", 0);
        Booster booster = XGBoost.train(matrix, parameters, 30, new HashMap<>(), null, null);
        matrix.dispose();
        return booster;
    }

    /**
     * Four features; the third is missing in every fifth row and the fourth in every seventh.
     */
    static float[] data()
    {
        float[] data = new float[ROWS * FEATURES];
        for (int i = 0; i < ROWS; i++) {
            data[i * FEATURES] = (float) Math.sin(i * 0.37);
            data[i * FEATURES + 1] = (float) Math.cos(i * 1.3) * 10;
            data[i * FEATURES + 2] = i % 5 == 0 ? Float.NaN : (float) (i % 11);
            data[i * FEATURES + 3] = i % 7 == 0 ? Float.NaN : (float) Math.sin(i * 2.9);
        }
        return data;
    }

    private static float value(float[] data, int row, int feature)
    {
        return data[row * FEATURES + feature];
    }

    private static void assertRelative(double actual, double expected)
    {
        assertThat(Math.abs(actual - expected)).isLessThanOrEqualTo(1e-5 * Math.max(1e-3, Math.abs(expected)));
    }
}
