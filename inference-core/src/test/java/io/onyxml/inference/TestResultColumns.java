package io.onyxml.inference;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;

import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.TestModelScoring.columns;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static io.onyxml.inference.batch.ScalarType.VARCHAR;
import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ElementType.INT64;
import static io.onyxml.store.ElementType.STRING;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

class TestResultColumns
        extends AbstractInferenceTest
{
    private static final List<InputColumn> FOUR_DOUBLES = columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE);

    @Test
    void regressionAnswersWithAPrediction()
    {
        PredictionPlan plan = plan(store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).build()));
        assertThat(ResultColumns.table(plan)).containsExactly(new ResultColumn("prediction", DOUBLE, 0, ResultConversion.TO_DOUBLE));
        assertThat(ResultColumns.scalar(plan, ResultKind.VALUE).type()).isEqualTo(DOUBLE);
        assertThat(ResultColumns.scalar(plan, ResultKind.VECTOR).type()).isEqualTo(ColumnType.array(DOUBLE));
        assertThat(ResultKind.VALUE.columnType()).isEqualTo(DOUBLE);
        assertThat(ResultKind.VECTOR.columnType()).isEqualTo(ColumnType.array(DOUBLE));
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.LABEL), "Model linear/1 is not a classifier (task regression); use predict");
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.PROBABILITIES), "Model linear/1 is not a classifier (task regression); use predict");

        ColumnBatch result = project(plan, ResultColumns.scalar(plan, ResultKind.VECTOR), 1, 2, 3, 4);
        ArrayColumn vector = (ArrayColumn) result.column(0);
        assertThat(vector.length(0)).isEqualTo(1);
        assertThat((Double) vector.value(0).get(0)).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-5));
        assertThat((Double) project(plan, ResultColumns.table(plan).get(0), 1, 2, 3, 4).column(0).value(0)).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-5));
    }

    @Test
    void classifierAnswersWithLabelAndProbabilities()
    {
        PredictionPlan plan = plan(store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.DEFAULTS));
        assertThat(ResultColumns.table(plan)).extracting(ResultColumn::name, ResultColumn::type).containsExactly(
                tuple("label", VARCHAR),
                tuple("probabilities", ColumnType.map(VARCHAR, DOUBLE)));
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.VALUE), "Model iris/1 is a classifier with text labels (setosa, versicolor, virginica); use predict_label");
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.VECTOR), "Model iris/1 does not return numbers (output 'label' string[N]); use predict_label");

        assertThat(ResultColumns.scalar(plan, ResultKind.LABEL).type()).isEqualTo(ResultKind.LABEL.columnType()).isEqualTo(VARCHAR);
        assertThat(ResultColumns.scalar(plan, ResultKind.PROBABILITIES).type()).isEqualTo(ResultKind.PROBABILITIES.columnType()).isEqualTo(ColumnType.map(VARCHAR, DOUBLE));
        ColumnBatch label = project(plan, ResultColumns.scalar(plan, ResultKind.LABEL), 1, 2, 3, 4);
        assertThat(((StringColumn) label.column(0)).values()[0]).isEqualTo(TestModels.classifierLabel(1, 2, 3, 4));
        MapColumn probabilities = (MapColumn) project(plan, ResultColumns.scalar(plan, ResultKind.PROBABILITIES), 1, 2, 3, 4).column(0);
        Map<Object, Object> map = probabilities.value(0);
        double[] expected = TestModels.classifierProbabilities(1, 2, 3, 4);
        assertThat(map.keySet()).containsExactly("setosa", "versicolor", "virginica");
        for (int c = 0; c < 3; c++) {
            assertThat((Double) map.get(TestModels.CLASSIFIER_LABELS.get(c))).isCloseTo(expected[c], within(1e-6));
        }
    }

    @Test
    void classifierWithNumericLabelsAndAProbabilityArray()
    {
        // labels 10 and 20 from int64 scores: label = 10 if x < 0 else 20; probabilities [0.25, 0.75] fixed
        byte[] model = new OnnxGraphBuilder("numeric_classes")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("label", INT64, DYNAMIC)
                .output("probabilities", FLOAT, DYNAMIC, 2)
                .floatInitializer("zero", new float[] {0}, 1)
                .longInitializer("low", new long[] {10}, 1)
                .longInitializer("high", new long[] {20}, 1)
                .floatInitializer("p", new float[] {0.25f, 0.75f}, 1, 2)
                .longInitializer("flat", new long[] {-1}, 1)
                .node("Less").inputs("x", "zero").outputs("negative").add()
                .node("Where").inputs("negative", "low", "high").outputs("label_column").add()
                .node("Reshape").inputs("label_column", "flat").outputs("label").add()
                .node("Mul").inputs("x", "zero").outputs("zeros").add()
                .node("Add").inputs("zeros", "p").outputs("probabilities").add()
                .build();
        PredictionPlan plan = plan(store.register("numbers", ModelSource.of(model), RegisterOptions.builder().task(ModelTask.CLASSIFICATION).classLabels(List.of("10", "20")).build()), columns("x", DOUBLE));
        ColumnBatch outputs = engine.predictor(plan).predict(ColumnBatch.builder(2).add("x", DoubleColumn.of(-1, 1)).build());
        assertThat(ResultColumns.project(plan, List.of(ResultColumns.scalar(plan, ResultKind.VALUE)), outputs).column(0).value(0)).isEqualTo(10.0);
        assertThat(ResultColumns.project(plan, List.of(ResultColumns.scalar(plan, ResultKind.LABEL)), outputs).column(0).value(1)).isEqualTo("20");
        assertThat(ResultColumns.project(plan, List.of(ResultColumns.scalar(plan, ResultKind.PROBABILITIES)), outputs).column(0).value(0))
                .isEqualTo(Map.of("10", 0.25, "20", 0.75));
    }

    @Test
    void multiOutputRegressionAnswersWithAVector()
    {
        TestModels.Mlp mlp = TestModels.mlp(4, 8, 3, 5);
        PredictionPlan plan = plan(store.register("embed", ModelSource.of(mlp.bytes()), RegisterOptions.builder().task(ModelTask.EMBEDDING).build()));
        assertThat(ResultColumns.table(plan)).containsExactly(new ResultColumn("prediction", ColumnType.array(DOUBLE), 0, ResultConversion.TO_DOUBLE_ARRAY));
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.VALUE), "Model embed/1 returns several values per row (output 'y' float[N,3]); use predict_vector");
        List<Object> vector = ((ArrayColumn) project(plan, ResultColumns.scalar(plan, ResultKind.VECTOR), 1, 2, 3, 4).column(0)).value(0);
        double[] expected = mlp.reference(1, 2, 3, 4);
        for (int k = 0; k < 3; k++) {
            assertThat((Double) vector.get(k)).isCloseTo(expected[k], within(1e-5));
        }
    }

    @Test
    void errorsSuggestOnlyAFunctionThatWorks()
    {
        // registered without the runtime's checks, as a store written by another tool may hold it: a "classifier" with a regressor's output
        PredictionPlan plan = plan(store.register("mislabeled", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.CLASSIFICATION).build()));
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.VALUE), "Model mislabeled/1 has no label output to read a class from; use predict_vector");
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.PROBABILITIES), "Model mislabeled/1 has no probability output; use predict_vector");
        assertUnsupported(() -> ResultColumns.scalar(plan, ResultKind.LABEL), "Model mislabeled/1 has no label output; use predict_vector");
        assertThat(ResultColumns.taskProblem(ModelTask.CLASSIFICATION, plan.outputs()))
                .contains("a classifier needs a label output (one string or integer per row) or class probabilities (a ZipMap, or a float array per row)");
        assertThat(ResultColumns.taskProblem(ModelTask.REGRESSION, plan.outputs())).isEmpty();

        // nothing works: no suggestion at all
        byte[] strings = new OnnxGraphBuilder("strings")
                .input("x", STRING, DYNAMIC)
                .output("y", STRING, DYNAMIC)
                .node("Identity").inputs("x").outputs("y").add()
                .build();
        PredictionPlan text = plan(store.register("text", ModelSource.of(strings), RegisterOptions.DEFAULTS), columns("x", VARCHAR));
        assertUnsupported(() -> ResultColumns.scalar(text, ResultKind.VALUE), "Model text/1 does not return a number (output 'y' string[N])");
        assertThat(ResultColumns.taskProblem(ModelTask.REGRESSION, text.outputs())).contains("a regression model returns numbers, but its first output 'y' string[N] does not");
        assertThat(ResultColumns.taskProblem(ModelTask.OTHER, text.outputs())).isEmpty();
    }

    @Test
    void severalOutputsKeepTheirNames()
    {
        byte[] model = new OnnxGraphBuilder("two_outputs")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("doubled", FLOAT, DYNAMIC, 1)
                .output("same", FLOAT, DYNAMIC, 1)
                .floatInitializer("two", new float[] {2}, 1)
                .node("Mul").inputs("x", "two").outputs("doubled").add()
                .node("Identity").inputs("x").outputs("same").add()
                .build();
        PredictionPlan plan = plan(store.register("two", ModelSource.of(model), RegisterOptions.DEFAULTS), columns("x", DOUBLE));
        assertThat(ResultColumns.table(plan)).extracting(ResultColumn::name, ResultColumn::type).containsExactly(
                tuple("doubled", DOUBLE),
                tuple("same", DOUBLE));
    }

    private PredictionPlan plan(ModelManifest manifest)
    {
        return plan(manifest, FOUR_DOUBLES);
    }

    private static PredictionPlan plan(ModelManifest manifest, List<InputColumn> columns)
    {
        return PredictionPlan.create(manifest, columns, BY_POSITION);
    }

    private ColumnBatch project(PredictionPlan plan, ResultColumn column, double... features)
    {
        ColumnBatch.Builder batch = ColumnBatch.builder(1);
        for (int i = 0; i < features.length; i++) {
            batch.add(plan.inputColumns().get(i).name(), DoubleColumn.of(features[i]));
        }
        return ResultColumns.project(plan, List.of(column), engine.predictor(plan).predict(batch.build()));
    }

    private static void assertUnsupported(Executable executable, String message)
    {
        assertThatThrownBy(executable::execute)
                .isInstanceOf(OnyxException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((OnyxException) e).errorCode()).isEqualTo(UNSUPPORTED_MODEL));
    }
}
