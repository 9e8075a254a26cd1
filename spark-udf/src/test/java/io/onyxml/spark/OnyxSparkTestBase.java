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
 * A local[2] Spark session over a local model store of its own, for one test class: the loopback address, no UI,
 * the CPU, batches of 7 rows; {@link #configure} adds a class's own settings.
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
        SparkSession.Builder builder = SparkSession.builder()
                .master("local[2]")
                .appName("onyx-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.onyx.model-store", storeDirectory.toString())
                .config("spark.onyx.device", "cpu")
                .config("spark.onyx.batch-size", "7");
        spark = configure(builder).getOrCreate();
    }

    /**
     * More settings for the session of a test class (Onyx's SQL extensions, a catalog, ...).
     */
    protected SparkSession.Builder configure(SparkSession.Builder builder)
            throws Exception
    {
        return builder;
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
