package io.onyxml.trino;

import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelTask;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.trino.testing.MaterializedRow;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_FILE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models made elsewhere: XGBoost files that register_model converts to ONNX, and classifiers exported without
 * ai.onnx.ml operators (as PyTorch and Keras export them), recognised by their outputs.
 */
final class TestImportedModels
        extends AbstractOnyxQueryTest
{
    private static final int ROWS = 200;

    @Override
    protected void registerModels() {}

    @Test
    void xgboostJsonAndUbjsonScoreAsXGBoost()
            throws Exception
    {
        float[] data = new float[ROWS * 3];
        float[] label = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            data[i * 3] = i % 9 == 0 ? Float.NaN : (float) Math.sin(i * 0.7);
            data[i * 3 + 1] = (float) (i % 13);
            data[i * 3 + 2] = (float) Math.cos(i);
            label[i] = (Float.isNaN(data[i * 3]) ? 2 : data[i * 3]) * 3 + data[i * 3 + 1] * 0.5f;
        }
        Booster booster = train(data, label, Map.of("objective", "reg:squarederror"));
        float[][] expected = booster.predict(new DMatrix(data, ROWS, 3, Float.NaN));
        Path json = upload("regression.json", booster.toByteArray("json"));
        Path ubjson = upload("regression.ubj", booster.toByteArray("ubj"));
        booster.dispose();

        assertUpdate("CALL ml.system.register_model('xgb_json', '" + json + "')");
        assertUpdate("CALL ml.system.register_model('xgb_ubj', '" + ubjson + "')");
        ModelManifest manifest = store.resolve("xgb_json");
        assertThat(manifest.task()).isEqualTo(ModelTask.REGRESSION);
        assertThat(manifest.featureNames()).containsExactly("f0", "f1", "f2");
        assertThat(manifest.handlesMissingValues()).isTrue();
        assertThat(manifest.training()).containsEntry("source_format", "xgboost-json").containsEntry("xgboost_objective", "reg:squarederror").containsEntry("rounds", "20");
        assertThat(store.resolve("xgb_ubj").training()).containsEntry("source_format", "xgboost-ubjson");

        String rows = IntStream.range(0, ROWS)
                .mapToObj(i -> "(%s, %s, %s, %s)".formatted(i, literal(data[i * 3]), literal(data[i * 3 + 1]), literal(data[i * 3 + 2])))
                .collect(Collectors.joining(", "));
        for (String model : List.of("xgb_json", "xgb_ubj")) {
            List<MaterializedRow> scored = computeActual("""
                    SELECT id, prediction FROM TABLE(predict(input => TABLE(SELECT * FROM (VALUES %s) AS t(id, f0, f1, f2)), model => '%s')) ORDER BY id
                    """.formatted(rows, model)).getMaterializedRows();
            for (MaterializedRow row : scored) {
                double prediction = (Double) row.getField(1);
                float truth = expected[(Integer) row.getField(0)][0];
                assertThat(Math.abs(prediction - truth)).isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(truth)));
            }
        }
    }

    @Test
    void xgboostClassifierWithClassLabels()
            throws Exception
    {
        float[] data = new float[ROWS * 3];
        float[] label = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            data[i * 3] = (float) Math.sin(i * 0.7);
            data[i * 3 + 1] = (float) (i % 13);
            data[i * 3 + 2] = (float) Math.cos(i);
            label[i] = data[i * 3] > 0.5 ? 2 : data[i * 3 + 1] > 6 ? 1 : 0;
        }
        Booster booster = train(data, label, Map.of("objective", "multi:softprob", "num_class", 3));
        float[][] expected = booster.predict(new DMatrix(data, ROWS, 3, Float.NaN));
        Path file = upload("classes.json", booster.toByteArray("json"));
        booster.dispose();
        assertUpdate("CALL ml.system.register_model('xgb_default_classes', '" + file + "')");
        assertThat(store.resolve("xgb_default_classes").classLabels()).containsExactly("0", "1", "2");
        assertUpdate("CALL ml.system.register_model(name => 'xgb_classes', uri => '" + file + "', class_labels => ARRAY['low', 'mid', 'high'])");
        assertUpdate("CALL ml.system.register_model(name => 'xgb_numbered', uri => '" + file + "', class_labels => ARRAY['10', '20', '30'])");
        assertThat(query("CALL ml.system.register_model(name => 'xgb_wrong', uri => '" + file + "', class_labels => ARRAY['a', 'b'])")).failure()
                .hasMessageEndingWith("is a classifier of 3 classes, but class_labels names 2");
        assertThat(store.resolve("xgb_classes").task()).isEqualTo(ModelTask.CLASSIFICATION);

        for (int i = 0; i < 20; i++) {
            String features = "%s, %s, %s".formatted(literal(data[i * 3]), literal(data[i * 3 + 1]), literal(data[i * 3 + 2]));
            @SuppressWarnings("unchecked")
            Map<String, Double> probabilities = (Map<String, Double>) computeScalar("SELECT predict_proba('xgb_classes', " + features + ")");
            assertThat(probabilities.get("low")).isCloseTo(expected[i][0], org.assertj.core.data.Offset.offset(1e-5));
            assertThat(probabilities.get("high")).isCloseTo(expected[i][2], org.assertj.core.data.Offset.offset(1e-5));
            int best = expected[i][0] >= expected[i][1] ? (expected[i][0] >= expected[i][2] ? 0 : 2) : (expected[i][1] >= expected[i][2] ? 1 : 2);
            assertThat(computeScalar("SELECT predict_label('xgb_classes', " + features + ")")).isEqualTo(List.of("low", "mid", "high").get(best));
            assertThat(computeScalar("SELECT predict('xgb_default_classes', " + features + ")")).isEqualTo((double) best);
            assertThat(computeScalar("SELECT predict_label('xgb_numbered', " + features + ")")).isEqualTo(List.of("10", "20", "30").get(best));
        }
    }

    @Test
    void brokenXGBoostFilesAreRefused()
            throws Exception
    {
        Path truncated = upload("truncated.json", "{\"learner\": {\"objective\": {\"name\": \"reg:squarederror\"}".getBytes(UTF_8));
        assertThat(query("CALL ml.system.register_model('broken', '" + truncated + "')")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_FILE)
                .hasMessageStartingWith("The file for model 'broken' (" + truncated + ") is not a model Onyx can read: it is not valid JSON");
        Path cycle = upload("cycle.json", """
                {"learner": {"objective": {"name": "reg:squarederror"}, "learner_model_param": {"num_feature": "2", "num_class": "0", "base_score": "5E-1"},
                 "gradient_booster": {"name": "gbtree", "model": {"tree_info": [0], "trees": [{"left_children": [1, 0, -1], "right_children": [2, 2, -1], "split_indices": [0, 1, 0],
                 "split_conditions": [0.5, 0.5, 1], "default_left": [1, 0, 0]}]}}}}
                """.getBytes(UTF_8));
        assertThat(query("CALL ml.system.register_model('broken', '" + cycle + "')")).failure()
                .hasErrorCode(ONYX_INVALID_MODEL_FILE)
                .hasMessageContaining("is not a model Onyx can read: tree 0 node 1 has children 0 and 2 outside the tree or before the node");
        Path unsupported = upload("rank.json", "{\"learner\": {\"objective\": {\"name\": \"rank:pairwise\"}}}".getBytes(UTF_8));
        assertThat(query("CALL ml.system.register_model('broken', '" + unsupported + "')")).failure()
                .hasMessageContaining("uses the XGBoost objective 'rank:pairwise', which Onyx does not convert; supported: reg:squarederror");
        assertThat(computeScalar("SELECT count(*) FROM ml.system.models WHERE name = 'broken'")).isEqualTo(0L);
    }

    @Test
    void classifiersWithoutMlOperatorsAreRecognisedByTheirOutputs()
            throws Exception
    {
        // as torch.onnx exports them: logits, softmax, argmax; no ai.onnx.ml operator
        byte[] model = new OnnxGraphBuilder("torch_like")
                .input("x", ElementType.FLOAT, -1, 2)
                .floatInitializer("w", new float[] {1, -1, 0, 0, 2, -2}, 2, 3)
                .node("MatMul").inputs("x", "w").outputs("logits").add()
                .node("Softmax").inputs("logits").outputs("scores").attribute("axis", 1).add()
                .node("ArgMax").inputs("logits").outputs("class").attribute("axis", 1).attribute("keepdims", 0).add()
                .output("class", ElementType.INT64, -1)
                .output("scores", ElementType.FLOAT, -1, 3)
                .build();
        Path file = upload("torch.onnx", model);
        assertUpdate("CALL ml.system.register_model('torch_default', '" + file + "')");
        assertThat(store.resolve("torch_default").task()).isEqualTo(ModelTask.CLASSIFICATION);
        assertThat(store.resolve("torch_default").classLabels()).containsExactly("0", "1", "2");
        assertUpdate("CALL ml.system.register_model(name => 'torch_named', uri => '" + file + "', class_labels => ARRAY['cat', 'dog', 'bird'])");

        // logits for (1, 0): 1, -1, 0 -> class 0; for (0, 1): 0, 2, -2 -> class 1
        assertThat(computeScalar("SELECT predict_label('torch_default', 1e0, 0e0)")).isEqualTo("0");
        assertThat(computeScalar("SELECT predict_label('torch_default', 0e0, 1e0)")).isEqualTo("1");
        assertThat(computeScalar("SELECT predict_label('torch_named', 1e0, 0e0)")).isEqualTo("cat");
        assertThat(computeScalar("SELECT predict_label('torch_named', 0e0, 1e0)")).isEqualTo("dog");
        double expected = Math.exp(1) / (Math.exp(1) + Math.exp(-1) + Math.exp(0));
        assertThat((Double) computeScalar("SELECT predict_proba('torch_named', 1e0, 0e0)['cat']")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(computeScalar("SELECT label FROM TABLE(predict(input => TABLE(SELECT 0e0 AS x_0, 1e0 AS x_1), model => 'torch_named'))")).isEqualTo("dog");
    }

    private static Booster train(float[] data, float[] label, Map<String, Object> objective)
            throws Exception
    {
        DMatrix matrix = new DMatrix(data, ROWS, 3, Float.NaN);
        matrix.setLabel(label);
        Map<String, Object> parameters = new HashMap<>(objective);
        parameters.put("max_depth", 3);
        parameters.put("tree_method", "hist");
        parameters.put("verbosity", 0);
        Booster booster = XGBoost.train(matrix, parameters, 20, new HashMap<>(), null, null);
        matrix.dispose();
        return booster;
    }

    private static String literal(float value)
    {
        return Float.isNaN(value) ? "CAST(NULL AS real)" : "REAL '" + value + "'";
    }
}
