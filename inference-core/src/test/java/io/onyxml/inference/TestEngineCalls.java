package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.store.PinnedModel;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static io.onyxml.store.OnyxErrorCode.STORE_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The rules every engine follows for the two forms of predict and for pinned versions, tested once here.
 */
class TestEngineCalls
        extends AbstractInferenceTest
{
    private static final EngineColumn DATE = new EngineColumn("day", Optional.empty(), "date");

    private ModelManifest linear()
    {
        return store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder()
                .task(ModelTask.REGRESSION)
                .featureNames(List.of("a", "b", "c", "d"))
                .build());
    }

    private static EngineColumn number(String name)
    {
        return new EngineColumn(name, Optional.of(ScalarType.DOUBLE), "double");
    }

    @Test
    void tableFormBindsTypedColumnsByNameAndListedOnesByPosition()
    {
        ModelManifest linear = linear();
        List<EngineColumn> columns = List.of(new EngineColumn("id", Optional.of(ScalarType.BIGINT), "bigint"), DATE, number("D"), number("c"), number("b"), number("a"));
        TableCall byName = TableCall.bind(linear, columns, Optional.empty());
        assertThat(byName.mode()).isEqualTo(BindingMode.BY_NAME);
        // the date only passes through; the id is a candidate the model does not use
        assertThat(byName.channels()).containsExactly(2, 3, 4, 5);
        assertThat(byName.results()).extracting(ResultColumn::name).containsExactly("prediction");

        TableCall listed = TableCall.bind(linear, columns, Optional.of(List.of("a", "b", "c", "d")));
        assertThat(listed.mode()).isEqualTo(BindingMode.BY_POSITION);
        // in the listed order, which is the model's feature order
        assertThat(listed.channels()).containsExactly(5, 4, 3, 2);
        assertThat(listed.plan().inputColumns()).extracting(InputColumn::name).containsExactly("a", "b", "c", "D");
    }

    @Test
    void tableFormErrors()
    {
        ModelManifest linear = linear();
        List<EngineColumn> columns = List.of(number("a"), number("b"), number("c"), number("d"), DATE);
        assertError(() -> TableCall.bind(linear, columns, Optional.of(List.of("a", "a"))), INVALID_ARGUMENT)
                .hasMessage("Column 'a' is listed twice in the feature columns");
        assertError(() -> TableCall.bind(linear, columns, Optional.of(List.of("a", "b", "c", "nope"))), INVALID_ARGUMENT)
                .hasMessage("Feature column 'nope' is not a column of the input table; its columns are: a, b, c, d, day");
        assertError(() -> TableCall.bind(linear, columns, Optional.of(List.of("a", "b", "c", "day"))), INVALID_ARGUMENT)
                .hasMessage("Column 'day' has type date, which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers (cast it)");
        assertError(() -> TableCall.bind(linear, List.of(number("a"), number("A"), number("b"), number("c"), number("d")), Optional.of(List.of("a", "b", "c", "d"))), INVALID_ARGUMENT)
                .hasMessage("Feature column 'a' matches several input columns when case is ignored: 'a', 'A'; rename them in the input query");
        assertError(() -> TableCall.bind(linear, List.of(number("a"), number("b"), number("c"), number("d"), number("Prediction")), Optional.empty()), INVALID_ARGUMENT)
                .hasMessage("The input table has a column named 'prediction', like a result column of model linear/1; rename it in the input query");
        // bound by name, a column the model needs whose type no model takes is named as such, not as missing
        EngineColumn structD = new EngineColumn("D", Optional.empty(), "row(v double)");
        assertError(() -> TableCall.bind(linear, List.of(number("a"), number("b"), number("c"), structD), Optional.empty()), INVALID_MODEL_INPUT)
                .hasMessage("Column 'D' has type row(v double), which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers (cast it)");
        // and only passes through when the model does not need it
        assertThat(TableCall.bind(linear, List.of(number("a"), number("b"), number("c"), number("d"), new EngineColumn("x_0", Optional.empty(), "row(v double)")), Optional.empty()).channels()).containsExactly(0, 1, 2, 3);
        assertError(() -> ScalarCall.fields(List.of(new EngineColumn("n".repeat(100_000), Optional.empty(), "date"))), INVALID_MODEL_INPUT)
                .hasMessage("Field '" + "n".repeat(160) + "... (100000 characters)' has type date, which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers (cast it)");
    }

    @Test
    void scalarFormScoresPositionalArgumentsAndStructFields()
    {
        ModelManifest linear = linear();
        List<InputColumn> arguments = ScalarCall.arguments(List.of(ScalarType.DOUBLE, ScalarType.DOUBLE, ScalarType.DOUBLE, ScalarType.DOUBLE));
        assertThat(arguments).extracting(InputColumn::name).containsExactly("feature_1", "feature_2", "feature_3", "feature_4");
        ScalarCall call = ScalarCall.prepare(engine, linear, arguments, BindingMode.BY_POSITION, ResultKind.VALUE);
        ColumnBatch row = ColumnBatch.builder(1)
                .add("feature_1", DoubleColumn.of(1))
                .add("feature_2", DoubleColumn.of(2))
                .add("feature_3", DoubleColumn.of(3))
                .add("feature_4", DoubleColumn.of(4))
                .build();
        assertThat(((DoubleColumn) call.score(row)).values()[0]).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));

        assertError(() -> ScalarCall.fields(List.of(number("a"), DATE)), INVALID_MODEL_INPUT)
                .hasMessage("Field 'day' has type date, which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers (cast it)");
        List<InputColumn> fields = ScalarCall.fields(List.of(number("d"), number("c"), number("b"), number("a")));
        ScalarCall byName = ScalarCall.prepare(engine, linear, fields, BindingMode.BY_NAME, ResultKind.VALUE);
        ColumnBatch struct = ColumnBatch.builder(1)
                .add("d", DoubleColumn.of(4))
                .add("c", DoubleColumn.of(3))
                .add("b", DoubleColumn.of(2))
                .add("a", DoubleColumn.of(1))
                .build();
        assertThat(((DoubleColumn) byName.score(struct)).values()[0]).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
    }

    @Test
    void pinnedVersionsAreCheckedByChecksum()
    {
        ModelManifest linear = linear();
        PinnedModel pinned = PinnedModel.of(linear);
        assertThat(pinned.verify(store.manifest("linear", 1))).isEqualTo(linear);
        PinnedModel other = new PinnedModel("linear", 1, "0".repeat(64));
        assertError(() -> other.verify(store.manifest("linear", 1)), STORE_ERROR)
                .hasMessage("Model linear/1 changed in the store while the query ran (sha256 %s, planned with %s)", linear.sha256(), "0".repeat(64));
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable action, io.onyxml.store.OnyxErrorCode code)
    {
        return assertThatThrownBy(action).isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
    }
}
