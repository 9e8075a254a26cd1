package io.onyxml.inference;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSignature;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.ValueSpec;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.TestModels;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static io.onyxml.inference.BindingMode.BY_NAME;
import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.TestModelScoring.columns;
import static io.onyxml.inference.batch.ScalarType.BIGINT;
import static io.onyxml.inference.batch.ScalarType.BOOLEAN;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static io.onyxml.inference.batch.ScalarType.FLOAT;
import static io.onyxml.inference.batch.ScalarType.INTEGER;
import static io.onyxml.inference.batch.ScalarType.VARCHAR;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static io.onyxml.store.OnyxErrorCode.MODEL_LOAD_FAILED;
import static io.onyxml.store.OnyxErrorCode.SIGNATURE_MISMATCH;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way columns can fail to fit a model is reported before scoring, naming the model, the input and the column.
 */
class TestBindingErrors
        extends AbstractInferenceTest
{
    @Test
    void wrongNumberOfFeatures()
    {
        ModelManifest linear = registerLinear();
        assertError(() -> engine.predictor(linear, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE), BY_POSITION), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 takes 4 features (a, b, c, d), or one array per input, but 3 values were given");
        assertError(() -> engine.predictor(linear, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE, "e", DOUBLE), BY_POSITION), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 takes 4 features (a, b, c, d), or one array per input, but 5 values were given");
    }

    @Test
    void missingColumnsByName()
    {
        ModelManifest linear = registerLinear();
        assertError(() -> engine.predictor(linear, columns("a", DOUBLE, "b", DOUBLE, "z", DOUBLE), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 needs columns named a, b, c, d for input 'x' (float[N,4]), or an array column named 'x'; missing: c, d; the columns are: a double, b double, z double");
        ModelManifest two = store.register("two", ModelSource.of(TestModels.twoInputs()), RegisterOptions.DEFAULTS);
        assertError(() -> engine.predictor(two, columns("embedding", ColumnType.array(FLOAT)), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model two/1 needs a column named count for input 'count' (int64[N]); missing: count; the columns are: embedding array(float)");
        // a long column name is shown by its start and length
        assertError(() -> engine.predictor(linear, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "n".repeat(100_000), DOUBLE), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 needs columns named a, b, c, d for input 'x' (float[N,4]), or an array column named 'x'; missing: d; the columns are: a double, b double, c double, "
                        + "n".repeat(160) + "... (100000 characters) double");
    }

    @Test
    void wrongColumnTypes()
    {
        ModelManifest linear = registerLinear();
        assertError(() -> engine.predictor(linear, columns("a", DOUBLE, "b", VARCHAR, "c", DOUBLE, "d", DOUBLE), BY_POSITION), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 input 'x' (float[N,4]) cannot take column 'b' of type varchar: it needs a number (double, float, bigint, integer, or a boolean as 0 or 1)");
        // a boolean reaches a float input as 0 or 1
        assertThat(engine.predictor(linear, columns("a", DOUBLE, "b", BOOLEAN, "c", DOUBLE, "d", DOUBLE), BY_POSITION).plan().inputs()).hasSize(1);
        ModelManifest two = store.register("two", ModelSource.of(TestModels.twoInputs()), RegisterOptions.DEFAULTS);
        assertError(() -> engine.predictor(two, columns("embedding", ColumnType.array(FLOAT), "count", DOUBLE), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model two/1 input 'count' (int64[N]) cannot take column 'count' of type double: it needs an integer; cast the column to bigint");
        assertError(() -> engine.predictor(two, columns("embedding", FLOAT, "count", BIGINT), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model two/1 needs columns named embedding_0, embedding_1, embedding_2 for input 'embedding' (float[N,3]), or an array column named 'embedding'; missing: embedding_0, embedding_1, embedding_2; the columns are: embedding float, count bigint");
        assertError(() -> engine.predictor(two, columns("embedding", ColumnType.array(FLOAT), "count", ColumnType.array(BIGINT)), BY_POSITION), INVALID_MODEL_INPUT)
                .hasMessage("Model two/1 input 'count' (int64[N]) takes one value per row, but column 'count' is array(bigint)");
    }

    @Test
    void arraysOfTheWrongLength()
    {
        ModelManifest two = store.register("two", ModelSource.of(TestModels.twoInputs()), RegisterOptions.DEFAULTS);
        Predictor predictor = engine.predictor(two, columns("embedding", ColumnType.array(FLOAT), "count", BIGINT), BY_POSITION);
        ColumnBatch batch = ColumnBatch.builder(2)
                .add("embedding", new ArrayColumn(new int[] {0, 3, 7}, FloatColumn.of(1, 2, 3, 4, 5, 6, 7), null))
                .add("count", LongColumn.of(1, 2))
                .build();
        assertError(() -> predictor.predict(batch), INVALID_MODEL_INPUT)
                .hasMessage("Model two/1 input 'embedding' (float[N,3]) needs 3 values per row, but a row of its array column has 4");
    }

    @Test
    void integersOutOfRangeForInt32()
    {
        byte[] model = new OnnxGraphBuilder("int32")
                .input("n", ElementType.INT32, DYNAMIC)
                .output("m", ElementType.INT32, DYNAMIC)
                .node("Identity").inputs("n").outputs("m").add()
                .build();
        ModelManifest manifest = store.register("int32", ModelSource.of(model), RegisterOptions.DEFAULTS);
        Predictor predictor = engine.predictor(manifest, columns("n", BIGINT), BY_POSITION);
        assertError(() -> predictor.predict(ColumnBatch.builder(2).add("n", LongColumn.of(1, 1L << 40)).build()), INVALID_MODEL_INPUT)
                .hasMessage("Model int32/1 input 'n' (int32[N]) takes 32-bit integers, but got 1099511627776");
        ColumnBatch fits = ColumnBatch.builder(2).add("n", LongColumn.of(-5, 7)).build();
        assertThat(predictor.predict(fits).column(0).value(1)).isEqualTo(7);
        assertThat(engine.predictor(manifest, columns("n", INTEGER), BY_POSITION).outputColumns())
                .containsExactly(new OutputColumn("m", INTEGER));
    }

    @Test
    void inputTypesOnyxCannotFeed()
    {
        byte[] model = new OnnxGraphBuilder("half")
                .input("h", ElementType.FLOAT16, DYNAMIC, 2)
                .output("y", ElementType.FLOAT16, DYNAMIC, 2)
                .node("Identity").inputs("h").outputs("y").add()
                .build();
        ModelManifest manifest = store.register("half", ModelSource.of(model), RegisterOptions.DEFAULTS);
        assertError(() -> engine.predictor(manifest, columns("a", DOUBLE, "b", DOUBLE), BY_POSITION), UNSUPPORTED_MODEL)
                .hasMessage("Model half/1 input 'h' has element type float16; Onyx feeds inputs of type float, double, int64, int32, bool and string");
    }

    @Test
    void aFileOnnxRuntimeCannotLoad()
    {
        byte[] model = new OnnxGraphBuilder("unknown_operator")
                .input("x", ElementType.FLOAT, DYNAMIC, 1)
                .output("y", ElementType.FLOAT, DYNAMIC, 1)
                .node("NoSuchOperator").inputs("x").outputs("y").add()
                .build();
        ModelManifest manifest = store.register("broken", ModelSource.of(model), RegisterOptions.DEFAULTS);
        Predictor predictor = engine.predictor(manifest, columns("x", DOUBLE), BY_POSITION);
        assertError(() -> predictor.predict(ColumnBatch.builder(1).add("x", DoubleColumn.of(1)).build()), MODEL_LOAD_FAILED)
                .hasMessageStartingWith("ONNX Runtime cannot load model broken/1: ")
                .hasMessageContaining("NoSuchOperator");
        // a failed load is not cached: the next call tries again and fails the same way
        assertError(() -> engine.load(manifest), MODEL_LOAD_FAILED);
    }

    @Test
    void aManifestThatDoesNotMatchItsFile()
    {
        ModelManifest real = registerLinear();
        ModelManifest lying = new ModelManifest(
                real.name(), real.version(), real.createdAt(), real.modelFile(), real.sha256(), real.sizeBytes(), real.onnx(),
                new ModelSignature(List.of(ValueSpec.tensor("features", ElementType.DOUBLE, DYNAMIC, 4)), real.signature().outputs()),
                real.task(), real.classLabels(), real.featureNames(), real.description(), false, real.training(), real.metrics(), real.registeredBy());
        assertError(() -> engine.load(lying), SIGNATURE_MISMATCH)
                .hasMessage("The ONNX file of model linear/1 does not match its manifest: inputs [x] instead of [features]; register the model again");
    }

    @Test
    void columnsThatMatchAFeatureOnlyRegardlessOfCaseAreAmbiguous()
    {
        ModelManifest linear = registerLinear();
        assertError(() -> engine.predictor(linear, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE, "A", DOUBLE), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 feature 'a' matches several columns when case is ignored: 'a', 'A'; keep one of them or rename the others in the input query");
        ModelManifest houses = store.register("houses", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().featureNames(List.of("area_m2", "rooms", "age", "floor")).build());
        assertError(() -> engine.predictor(houses, columns("AREA_M2", DOUBLE, "rooms", DOUBLE, "age", DOUBLE, "floor", DOUBLE, "area_m2", DOUBLE), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model houses/1 feature 'area_m2' matches several columns when case is ignored: 'AREA_M2', 'area_m2'; keep one of them or rename the others in the input query");
        // one match in another case binds
        assertThat(engine.predictor(houses, columns("AREA_M2", DOUBLE, "Rooms", DOUBLE, "age", DOUBLE, "floor", DOUBLE), BY_NAME).plan().inputs()).hasSize(1);
    }

    @Test
    void inputsWiderThanAnyArray()
    {
        byte[] model = new OnnxGraphBuilder("wide")
                .input("x", ElementType.FLOAT, DYNAMIC, 1L << 40)
                .output("y", ElementType.FLOAT, DYNAMIC, 1)
                .node("ReduceSum").inputs("x").outputs("y").add()
                .build();
        ModelManifest wide = store.register("wide", ModelSource.of(model), RegisterOptions.DEFAULTS);
        assertError(() -> engine.predictor(wide, columns("x", ColumnType.array(DOUBLE)), BY_NAME), INVALID_MODEL_INPUT)
                .hasMessage("Model wide/1 input 'x' (float[N,1099511627776]) takes 1099511627776 values per row, more than an array column can hold");
    }

    @Test
    void doublesBeyondTheFloatRange()
    {
        ModelManifest linear = registerLinear();
        Predictor predictor = engine.predictor(linear, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE), BY_POSITION);
        ColumnBatch tooLarge = ColumnBatch.builder(2)
                .add("a", DoubleColumn.of(1, 2))
                .add("b", DoubleColumn.of(1, -1e300))
                .add("c", DoubleColumn.of(1, 2))
                .add("d", DoubleColumn.of(1, 2))
                .build();
        assertError(() -> predictor.predict(tooLarge), INVALID_MODEL_INPUT)
                .hasMessage("Model linear/1 feature 'b' (input 'x', float[N,4]) got -1.0E300, beyond the range of its 32-bit floats (±3.4028235E38)");
        // infinities and NaN are floats too, and so is the largest float
        ColumnBatch representable = ColumnBatch.builder(3)
                .add("a", DoubleColumn.of(Double.POSITIVE_INFINITY, Double.NaN, Float.MAX_VALUE))
                .add("b", DoubleColumn.of(0, 0, 0))
                .add("c", DoubleColumn.of(0, 0, 0))
                .add("d", DoubleColumn.of(0, 0, 0))
                .build();
        Column scores = predictor.predict(representable).column(0);
        assertThat((Float) scores.value(0)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat((Float) scores.value(1)).isNaN();

        ModelManifest two = store.register("two", ModelSource.of(TestModels.twoInputs()), RegisterOptions.DEFAULTS);
        Predictor arrays = engine.predictor(two, columns("embedding", ColumnType.array(DOUBLE), "count", BIGINT), BY_POSITION);
        ColumnBatch elements = ColumnBatch.builder(1)
                .add("embedding", new ArrayColumn(new int[] {0, 3}, DoubleColumn.of(1, 5e38, 3), null))
                .add("count", LongColumn.of(1))
                .build();
        assertError(() -> arrays.predict(elements), INVALID_MODEL_INPUT)
                .hasMessage("Model two/1 feature 'embedding' (input 'embedding', float[N,3]) got 5.0E38, beyond the range of its 32-bit floats (±3.4028235E38)");
    }

    @Test
    void arraysThatDoNotFillTheDeclaredShape()
    {
        byte[] model = new OnnxGraphBuilder("grid")
                .input("x", ElementType.FLOAT, DYNAMIC, DYNAMIC, 3)
                .output("y", ElementType.FLOAT, DYNAMIC)
                .longInitializer("axes", new long[] {1, 2}, 2)
                .node("ReduceSum").inputs("x", "axes").outputs("y").attribute("keepdims", 0L).add()
                .build();
        ModelManifest grid = store.register("grid", ModelSource.of(model), RegisterOptions.DEFAULTS);
        Predictor predictor = engine.predictor(grid, columns("x", ColumnType.array(DOUBLE)), BY_POSITION);
        ColumnBatch fits = ColumnBatch.builder(1).add("x", new ArrayColumn(new int[] {0, 6}, DoubleColumn.of(1, 2, 3, 4, 5, 6), null)).build();
        assertThat((Float) predictor.predict(fits).column(0).value(0)).isEqualTo(21f);
        ColumnBatch ragged = ColumnBatch.builder(1).add("x", new ArrayColumn(new int[] {0, 4}, DoubleColumn.of(1, 2, 3, 4), null)).build();
        assertError(() -> predictor.predict(ragged), INVALID_MODEL_INPUT)
                .hasMessage("Model grid/1 input 'x' (float[N,?,3]) cannot take rows of 4 values: their number must be a multiple of 3");
    }

    private ModelManifest registerLinear()
    {
        return store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().featureNames(TestModels.LINEAR_FEATURES).build());
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertError(Executable executable, OnyxErrorCode code)
    {
        return assertThatThrownBy(executable::execute)
                .isInstanceOf(OnyxException.class)
                .satisfies(e -> assertThat(((OnyxException) e).errorCode()).isEqualTo(code));
    }
}
