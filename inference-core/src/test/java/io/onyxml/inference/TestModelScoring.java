package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.onyxml.inference.BindingMode.BY_NAME;
import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.batch.ScalarType.BIGINT;
import static io.onyxml.inference.batch.ScalarType.BOOLEAN;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static io.onyxml.inference.batch.ScalarType.FLOAT;
import static io.onyxml.inference.batch.ScalarType.INTEGER;
import static io.onyxml.inference.batch.ScalarType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Every test model scores on the CPU as its reference implementation in plain Java says it should.
 */
@TestInstance(PER_CLASS)
class TestModelScoring
{
    private static final int ROWS = 257;

    private Path directory;
    private ModelStore store;
    private InferenceEngine engine;

    @BeforeAll
    void setUp()
            throws Exception
    {
        directory = Files.createTempDirectory("onyx-scoring-");
        store = ModelStore.open(ModelStoreConfig.local(directory));
        engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.CPU).withEvaluator(evaluator()));
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().featureNames(TestModels.LINEAR_FEATURES).build());
    }

    /**
     * ONNX Runtime alone here; {@link TestModelScoringCompiled} runs the same tests with the compiled evaluator.
     */
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.ONNX_RUNTIME;
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        engine.close();
        store.close();
        deleteRecursively(directory, ALLOW_INSECURE);
    }

    @Test
    void linearModelFromScalarColumnsByPosition()
    {
        double[][] rows = randomRows(ROWS, 4, 1);
        Predictor predictor = engine.predictor("linear", columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE), BY_POSITION);
        assertThat(predictor.outputColumns()).containsExactly(new OutputColumn("y", FLOAT));

        ColumnBatch result = predictor.predict(doubleColumns(rows, "a", "b", "c", "d"));
        FloatColumn y = (FloatColumn) result.column("y").orElseThrow();
        for (int row = 0; row < ROWS; row++) {
            assertThat((double) y.values()[row]).isCloseTo(TestModels.linearReference(rows[row]), within(1e-4));
        }
    }

    @Test
    void linearModelFromFloatColumns()
    {
        double[][] rows = randomRows(ROWS, 4, 8);
        ColumnBatch.Builder batch = ColumnBatch.builder(ROWS);
        for (int k = 0; k < 4; k++) {
            float[] values = new float[ROWS];
            for (int row = 0; row < ROWS; row++) {
                values[row] = (float) rows[row][k];
            }
            batch.add("f" + k, new FloatColumn(values, null));
        }
        Predictor predictor = engine.predictor("linear", columns("f0", FLOAT, "f1", FLOAT, "f2", FLOAT, "f3", FLOAT), BY_POSITION);
        FloatColumn y = (FloatColumn) predictor.predict(batch.build()).column(0);
        for (int row = 0; row < ROWS; row++) {
            assertThat((double) y.values()[row]).isCloseTo(TestModels.linearReference(rows[row]), within(1e-4));
        }
    }

    @Test
    void linearModelBindsFeatureNamesAndIgnoresOtherColumns()
    {
        double[][] rows = randomRows(ROWS, 4, 2);
        // columns in another order, with upper case names and one the model does not use
        ColumnBatch batch = ColumnBatch.builder(ROWS)
                .add("id", new LongColumn(new long[ROWS], null))
                .add("D", column(rows, 3))
                .add("b", column(rows, 1))
                .add("a", column(rows, 0))
                .add("c", column(rows, 2))
                .build();
        Predictor predictor = engine.predictor("linear", columns("id", BIGINT, "D", DOUBLE, "b", DOUBLE, "a", DOUBLE, "c", DOUBLE), BY_NAME);
        FloatColumn y = (FloatColumn) predictor.predict(batch).column(0);
        for (int row = 0; row < ROWS; row++) {
            assertThat((double) y.values()[row]).isCloseTo(TestModels.linearReference(rows[row]), within(1e-4));
        }
    }

    @Test
    void linearModelFromAnArrayColumn()
    {
        double[][] rows = randomRows(ROWS, 4, 3);
        ArrayColumn features = ArrayColumn.fixedWidth(new DoubleColumn(flatten(rows), null), 4, null);
        for (BindingMode mode : BindingMode.values()) {
            Predictor predictor = engine.predictor("linear", List.of(new InputColumn("x", ColumnType.array(DOUBLE))), mode);
            FloatColumn y = (FloatColumn) predictor.predict(ColumnBatch.builder(ROWS).add("x", features).build()).column(0);
            for (int row = 0; row < ROWS; row++) {
                assertThat((double) y.values()[row]).isCloseTo(TestModels.linearReference(rows[row]), within(1e-4));
            }
        }
    }

    @Test
    void multiLayerPerceptron()
    {
        TestModels.Mlp mlp = TestModels.mlp(4, 64, 1, 42);
        ModelManifest manifest = store.register("mlp", ModelSource.of(mlp.bytes()), RegisterOptions.DEFAULTS);
        double[][] rows = randomRows(ROWS, 4, 4);
        Predictor predictor = engine.predictor(manifest, columns("x_0", DOUBLE, "x_1", DOUBLE, "x_2", DOUBLE, "x_3", DOUBLE), BY_NAME);
        FloatColumn y = (FloatColumn) predictor.predict(doubleColumns(rows, "x_0", "x_1", "x_2", "x_3")).column(0);
        for (int row = 0; row < ROWS; row++) {
            assertThat((double) y.values()[row]).isCloseTo(mlp.reference(rows[row])[0], within(1e-4));
        }
    }

    @Test
    void multiOutputPerceptronGivesAnArrayColumn()
    {
        TestModels.Mlp mlp = TestModels.mlp(3, 8, 2, 7);
        ModelManifest manifest = store.register("mlp2", ModelSource.of(mlp.bytes()), RegisterOptions.DEFAULTS);
        double[][] rows = randomRows(10, 3, 5);
        Predictor predictor = engine.predictor(manifest, columns("p", DOUBLE, "q", DOUBLE, "r", DOUBLE), BY_POSITION);
        assertThat(predictor.outputColumns()).containsExactly(new OutputColumn("y", ColumnType.array(FLOAT)));
        ArrayColumn y = (ArrayColumn) predictor.predict(doubleColumns(rows, "p", "q", "r")).column(0);
        for (int row = 0; row < 10; row++) {
            double[] expected = mlp.reference(rows[row]);
            assertThat(y.length(row)).isEqualTo(2);
            for (int k = 0; k < 2; k++) {
                assertThat((double) ((FloatColumn) y.elements()).values()[y.offsets()[row] + k]).isCloseTo(expected[k], within(1e-4));
            }
        }
    }

    @Test
    void treeEnsemble()
    {
        ModelManifest manifest = store.register("trees", ModelSource.of(TestModels.treeEnsemble()), RegisterOptions.DEFAULTS);
        // thresholds themselves go to the "true" (less or equal) branch
        float[][] rows = {{0.5f, 2.0f, -1.0f}, {0.6f, 0, 0}, {-3, 2.5f, -2}, {0.4f, 1, 5}, {10, 10, -10}};
        ColumnBatch batch = ColumnBatch.builder(rows.length)
                .add("x", ArrayColumn.fixedWidth(new FloatColumn(flatten(rows), null), 3, null))
                .build();
        Predictor predictor = engine.predictor(manifest, List.of(new InputColumn("x", ColumnType.array(FLOAT))), BY_NAME);
        FloatColumn y = (FloatColumn) predictor.predict(batch).column(0);
        for (int row = 0; row < rows.length; row++) {
            assertThat((double) y.values()[row]).isCloseTo(TestModels.treeEnsembleReference(rows[row]), within(1e-6));
        }
    }

    @Test
    void classifierWithStringLabelsAndZipMapProbabilities()
    {
        ModelManifest manifest = store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.DEFAULTS);
        double[][] rows = randomRows(50, 4, 6);
        Predictor predictor = engine.predictor(manifest, columns("x_0", DOUBLE, "x_1", DOUBLE, "x_2", DOUBLE, "x_3", DOUBLE), BY_POSITION);
        assertThat(predictor.outputColumns()).containsExactly(
                new OutputColumn("label", VARCHAR),
                new OutputColumn("probabilities", ColumnType.map(VARCHAR, FLOAT)));

        ColumnBatch result = predictor.predict(doubleColumns(rows, "x_0", "x_1", "x_2", "x_3"));
        StringColumn labels = (StringColumn) result.column("label").orElseThrow();
        MapColumn probabilities = (MapColumn) result.column("probabilities").orElseThrow();
        for (int row = 0; row < rows.length; row++) {
            assertThat(labels.values()[row]).isEqualTo(TestModels.classifierLabel(rows[row]));
            double[] expected = TestModels.classifierProbabilities(rows[row]);
            Map<Object, Object> actual = probabilities.value(row);
            assertThat(actual.keySet()).containsExactlyElementsOf(TestModels.CLASSIFIER_LABELS);
            for (int c = 0; c < expected.length; c++) {
                assertThat(((Float) actual.get(TestModels.CLASSIFIER_LABELS.get(c))).doubleValue()).isCloseTo(expected[c], within(1e-5));
            }
        }
    }

    @Test
    void twoInputsOfDifferentTypes()
    {
        ModelManifest manifest = store.register("two", ModelSource.of(TestModels.twoInputs()), RegisterOptions.DEFAULTS);
        float[][] embeddings = {{1, 2, 3}, {0.5f, -0.5f, 0.25f}, {-1, -2, -3}};
        long[] counts = {10, 0, -7};
        ColumnBatch batch = ColumnBatch.builder(3)
                .add("embedding", ArrayColumn.fixedWidth(new FloatColumn(flatten(embeddings), null), 3, null))
                .add("count", new LongColumn(counts, null))
                .build();
        List<InputColumn> layout = List.of(new InputColumn("embedding", ColumnType.array(FLOAT)), new InputColumn("count", BIGINT));
        for (BindingMode mode : BindingMode.values()) {
            FloatColumn y = (FloatColumn) engine.predictor(manifest, layout, mode).predict(batch).column(0);
            for (int row = 0; row < 3; row++) {
                assertThat((double) y.values()[row]).isCloseTo(TestModels.twoInputsReference(embeddings[row], counts[row]), within(1e-5));
            }
        }

        // integer widens to int64, and the embedding may come as doubles
        ColumnBatch widened = ColumnBatch.builder(1)
                .add("e", ArrayColumn.fixedWidth(DoubleColumn.of(1, 1, 1), 3, null))
                .add("c", IntColumn.of(4))
                .build();
        Predictor predictor = engine.predictor(manifest, List.of(new InputColumn("e", ColumnType.array(DOUBLE)), new InputColumn("c", INTEGER)), BY_POSITION);
        assertThat(((FloatColumn) predictor.predict(widened).column(0)).values()[0]).isEqualTo(7f);
    }

    @Test
    void doubleInputsAndOutputs()
    {
        ModelManifest manifest = store.register("double", ModelSource.of(TestModels.doubleLinear()), RegisterOptions.DEFAULTS);
        double[][] rows = randomRows(ROWS, 2, 7);
        Predictor predictor = engine.predictor(manifest, columns("p", DOUBLE, "q", DOUBLE), BY_POSITION);
        assertThat(predictor.outputColumns()).containsExactly(new OutputColumn("y", DOUBLE));
        DoubleColumn y = (DoubleColumn) predictor.predict(doubleColumns(rows, "p", "q")).column(0);
        for (int row = 0; row < ROWS; row++) {
            assertThat(y.values()[row]).isCloseTo(TestModels.doubleLinearReference(rows[row][0], rows[row][1]), within(1e-12));
        }

        Predictor fromArrays = engine.predictor(manifest, List.of(new InputColumn("x", ColumnType.array(DOUBLE))), BY_NAME);
        ColumnBatch arrays = ColumnBatch.builder(ROWS).add("x", ArrayColumn.fixedWidth(new DoubleColumn(flatten(rows), null), 2, null)).build();
        assertThat(((DoubleColumn) fromArrays.predict(arrays).column(0)).values()).containsExactly(y.values());
    }

    @Test
    void oneColumnPerInputOfThreeTypes()
    {
        ModelManifest manifest = store.register("mixed", ModelSource.of(TestModels.mixedColumns()), RegisterOptions.DEFAULTS);
        double[] ages = {30, 41.5, 0, 99};
        String[] cities = {"paris", "lima", "atlantis", "tokyo"};
        boolean[] members = {true, false, true, false};
        ColumnBatch batch = ColumnBatch.builder(4)
                .add("member", new BooleanColumn(members, null))
                .add("age", new DoubleColumn(ages, null))
                .add("city", new StringColumn(cities))
                .build();
        Predictor predictor = engine.predictor(manifest, columns("member", BOOLEAN, "age", DOUBLE, "city", VARCHAR), BY_NAME);
        FloatColumn score = (FloatColumn) predictor.predict(batch).column(0);
        for (int row = 0; row < 4; row++) {
            assertThat((double) score.values()[row]).isCloseTo(TestModels.mixedColumnsReference(ages[row], cities[row], members[row]), within(1e-5));
        }
    }

    @Test
    void scoresASingleRow()
    {
        Predictor predictor = engine.predictor("linear", columns("a", DOUBLE, "b", INTEGER, "c", BIGINT, "d", FLOAT), BY_POSITION);
        Map<String, Object> row = predictor.predictRow(1.0, 2, 3L, 4f);
        assertThat(((Float) row.get("y")).doubleValue()).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-5));
        assertThat(predictor.predictRow(1.0, null, 3L, 4f)).containsEntry("y", null);
    }

    static List<InputColumn> columns(Object... namesAndTypes)
    {
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.add(new InputColumn((String) namesAndTypes[i], (ColumnType) namesAndTypes[i + 1]));
        }
        return columns.build();
    }

    static double[][] randomRows(int count, int width, long seed)
    {
        Random random = new Random(seed);
        double[][] rows = new double[count][width];
        for (double[] row : rows) {
            for (int i = 0; i < width; i++) {
                row[i] = random.nextGaussian() * 3;
            }
        }
        return rows;
    }

    static ColumnBatch doubleColumns(double[][] rows, String... names)
    {
        ColumnBatch.Builder batch = ColumnBatch.builder(rows.length);
        for (int i = 0; i < names.length; i++) {
            batch.add(names[i], column(rows, i));
        }
        return batch.build();
    }

    static Column column(double[][] rows, int index)
    {
        double[] values = new double[rows.length];
        for (int row = 0; row < rows.length; row++) {
            values[row] = rows[row][index];
        }
        return new DoubleColumn(values, null);
    }

    static double[] flatten(double[][] rows)
    {
        double[] values = new double[rows.length * rows[0].length];
        for (int row = 0; row < rows.length; row++) {
            System.arraycopy(rows[row], 0, values, row * rows[row].length, rows[row].length);
        }
        return values;
    }

    static float[] flatten(float[][] rows)
    {
        float[] values = new float[rows.length * rows[0].length];
        for (int row = 0; row < rows.length; row++) {
            System.arraycopy(rows[row], 0, values, row * rows[row].length, rows[row].length);
        }
        return values;
    }
}
