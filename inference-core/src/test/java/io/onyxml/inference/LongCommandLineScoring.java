package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;

import java.nio.file.Path;

import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.TestModelScoring.columns;
import static io.onyxml.inference.TestModelScoring.doubleColumns;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;

/**
 * The program {@link TestLongCommandLine} starts in a JVM with a long command line: it registers the linear test
 * model in the store directory given as its argument, scores one row and prints the prediction.
 */
public final class LongCommandLineScoring
{
    private LongCommandLineScoring() {}

    public static void main(String[] args)
    {
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(Path.of(args[0])));
                InferenceEngine engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.CPU))) {
            ModelManifest manifest = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
            Predictor predictor = engine.predictor(manifest, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE), BY_POSITION);
            ColumnBatch batch = doubleColumns(new double[][] {{1, 2, 3, 4}}, "a", "b", "c", "d");
            System.out.println("prediction=" + ((FloatColumn) predictor.predict(batch).column(0)).values()[0]);
        }
    }
}
