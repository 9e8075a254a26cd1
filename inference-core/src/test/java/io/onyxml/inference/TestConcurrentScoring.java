package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.TestModelScoring.columns;
import static io.onyxml.inference.TestModelScoring.doubleColumns;
import static io.onyxml.inference.TestModelScoring.randomRows;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Many threads score two models through shared predictors while a session budget too small for both keeps evicting
 * and reloading them: every result must still be right, and no session may be closed under a running call.
 */
class TestConcurrentScoring
        extends AbstractInferenceTest
{
    @Override
    protected InferenceConfig config()
    {
        // room for one of the two small models (each counts 1 MiB and a few KiB), never both
        return super.config().withSessionCacheBytes((1 << 20) + (8 << 10));
    }

    @Test
    void scoresCorrectlyFromManyThreadsWhileModelsAreEvicted()
            throws Exception
    {
        TestModels.Mlp mlp = TestModels.mlp(4, 16, 1, 3);
        ModelManifest linear = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        ModelManifest network = store.register("mlp", ModelSource.of(mlp.bytes()), RegisterOptions.DEFAULTS);
        List<InputColumn> layout = columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE);
        Predictor linearPredictor = engine.predictor(linear, layout, BY_POSITION);
        Predictor mlpPredictor = engine.predictor(network, layout, BY_POSITION);

        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                long seed = thread;
                futures.add(executor.submit((Callable<Integer>) () -> {
                    start.await();
                    Random random = new Random(seed);
                    int checked = 0;
                    for (int call = 0; call < 40; call++) {
                        double[][] rows = randomRows(1 + random.nextInt(300), 4, random.nextLong());
                        ColumnBatch batch = doubleColumns(rows, "a", "b", "c", "d");
                        boolean useLinear = random.nextBoolean();
                        FloatColumn y = (FloatColumn) (useLinear ? linearPredictor : mlpPredictor).predict(batch).column(0);
                        for (int row = 0; row < rows.length; row++) {
                            double expected = useLinear ? TestModels.linearReference(rows[row]) : mlp.reference(rows[row])[0];
                            assertThat((double) y.values()[row]).isCloseTo(expected, within(1e-4));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            start.countDown();
            int checked = 0;
            for (Future<Integer> future : futures) {
                checked += future.get();
            }
            assertThat(checked).isPositive();
        }
        finally {
            executor.shutdownNow();
        }
        // the budget holds at most the model used last
        assertThat(engine.loadedModels()).hasSizeLessThanOrEqualTo(1);
    }
}
