package io.onyxml.spark;

import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * A local[2] Spark session over a local model store of its own, for one test class.
 */
@TestInstance(PER_CLASS)
abstract class OnyxSparkTestBase
{
    protected Path storeDirectory;
    protected ModelStore store;
    protected SparkSession spark;

    @BeforeAll
    void startSpark()
            throws Exception
    {
        storeDirectory = Files.createTempDirectory("onyx-spark-store-");
        store = ModelStore.open(ModelStoreConfig.local(storeDirectory));
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("onyx-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.onyx.model-store", storeDirectory.toString())
                .config("spark.onyx.device", "cpu")
                .config("spark.onyx.batch-size", "7")
                .getOrCreate();
    }

    @AfterAll
    void stopSpark()
            throws Exception
    {
        spark.stop();
        store.close();
        deleteRecursively(storeDirectory, ALLOW_INSECURE);
    }
}
