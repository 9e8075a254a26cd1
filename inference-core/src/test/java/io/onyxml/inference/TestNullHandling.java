package io.onyxml.inference;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.TestModelScoring.columns;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestNullHandling
        extends AbstractInferenceTest
{
    @Test
    void aNullFeatureGivesANullPredictionAndLeavesOtherRowsAlone()
    {
        ModelManifest manifest = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        Predictor predictor = engine.predictor(manifest, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE), BY_POSITION);
        boolean[] nullB = {false, true, false, false};
        ColumnBatch batch = ColumnBatch.builder(4)
                .add("a", DoubleColumn.of(1, 2, 3, 4))
                .add("b", new DoubleColumn(new double[] {1, 999, 3, 4}, nullB))
                .add("c", DoubleColumn.of(1, 2, 3, 4))
                .add("d", new DoubleColumn(new double[] {1, 2, 3, 4}, new boolean[] {false, false, false, true}))
                .build();
        FloatColumn y = (FloatColumn) predictor.predict(batch).column(0);
        assertThat(y.isNull(0)).isFalse();
        assertThat(y.isNull(1)).isTrue();
        assertThat(y.isNull(2)).isFalse();
        assertThat(y.isNull(3)).isTrue();
        assertThat((double) y.values()[0]).isCloseTo(TestModels.linearReference(1, 1, 1, 1), within(1e-5));
        assertThat((double) y.values()[2]).isCloseTo(TestModels.linearReference(3, 3, 3, 3), within(1e-5));
    }

    @Test
    void allRowsNullNeedsNoModelCall()
    {
        ModelManifest manifest = store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.DEFAULTS);
        boolean[] allNull = {true, true};
        ColumnBatch batch = ColumnBatch.builder(2)
                .add("x", new ArrayColumn(new int[] {0, 0, 0}, DoubleColumn.of(), allNull))
                .build();
        ColumnBatch result = engine.predictor(manifest, List.of(new InputColumn("x", ColumnType.array(DOUBLE))), BY_POSITION).predict(batch);
        assertThat(((StringColumn) result.column(0)).values()).containsExactly(null, null);
        assertThat(result.column(1).isNull(0)).isTrue();
        assertThat(result.column(1)).isInstanceOf(MapColumn.class);
        assertThat(engine.loadedModels()).isEmpty();
    }

    @Test
    void aNullArrayElementNullsTheRow()
    {
        ModelManifest manifest = store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.DEFAULTS);
        DoubleColumn elements = new DoubleColumn(new double[] {1, 2, 3, 4, 1, 2, 0, 4}, new boolean[] {false, false, false, false, false, false, true, false});
        ColumnBatch batch = ColumnBatch.builder(2).add("x", ArrayColumn.fixedWidth(elements, 4, null)).build();
        ColumnBatch result = engine.predictor(manifest, List.of(new InputColumn("x", ColumnType.array(DOUBLE))), BY_POSITION).predict(batch);
        assertThat(result.column(0).value(0)).isEqualTo(TestModels.classifierLabel(1, 2, 3, 4));
        assertThat(result.column(0).isNull(1)).isTrue();
        assertThat(result.column(1).isNull(1)).isTrue();
        assertThat(result.column(1).value(0)).isNotNull();
    }

    @Test
    void aModelThatHandlesMissingValuesGetsNaN()
    {
        // y = IsNaN(x) ? -1 : x, the way tree models route missing values
        byte[] model = new OnnxGraphBuilder("missing")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("minus_one", new float[] {-1}, 1)
                .node("IsNaN").inputs("x").outputs("missing").add()
                .node("Where").inputs("missing", "minus_one", "x").outputs("y").add()
                .build();
        ModelManifest manifest = store.register("missing", ModelSource.of(model), RegisterOptions.builder().handlesMissingValues(true).build());
        ColumnBatch batch = ColumnBatch.builder(3).add("x", new DoubleColumn(new double[] {5, 0, 7}, new boolean[] {false, true, false})).build();
        FloatColumn y = (FloatColumn) engine.predictor(manifest, columns("x", DOUBLE), BY_POSITION).predict(batch).column(0);
        assertThat(y.values()).containsExactly(5f, -1f, 7f);
        assertThat(y.nulls()).isEmpty();
    }
}
