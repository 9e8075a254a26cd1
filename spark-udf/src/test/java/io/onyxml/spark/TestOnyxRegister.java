package io.onyxml.spark;

import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code Onyx.register(spark)} gives a session started without the extensions setting the same functions, batched.
 */
class TestOnyxRegister
{
    @Test
    void registeringARunningSessionAddsTheBatchedFunctions()
            throws Exception
    {
        Path directory = Files.createTempDirectory("onyx-spark-register-");
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(directory))) {
            store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
            SparkSession spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("onyx-register-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.onyx.model-store", directory.toString())
                    .config("spark.onyx.device", "cpu")
                    .getOrCreate();
            try {
                assertThatThrownBy(() -> spark.sql("SELECT predict('linear', 1, 2, 3, 4)")).hasMessageContaining("predict");
                Onyx.register(spark);
                Onyx.register(spark);
                Dataset<Row> query = spark.sql("SELECT id, predict('linear', id, 2, 3, 4) FROM range(10)");
                for (Row row : query.collectAsList()) {
                    assertThat(row.getDouble(1)).isCloseTo(TestModels.linearReference(row.getLong(0), 2, 3, 4), within(1e-4));
                }
                assertThat(query.queryExecution().executedPlan().toString()).contains("BatchPredict");
                assertThat(spark.experimental().extraStrategies().size()).isEqualTo(1);
            }
            finally {
                spark.stop();
            }
        }
        finally {
            deleteRecursively(directory, ALLOW_INSECURE);
        }
    }
}
