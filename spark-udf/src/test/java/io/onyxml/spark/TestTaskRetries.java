package io.onyxml.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Tasks that fail and are retried by Spark: a training still registers one version, once, from the driver; a
 * training whose tasks keep failing registers none.
 */
class TestTaskRetries
        extends OnyxSparkTestBase
{
    @Override
    protected SparkSession.Builder configure(SparkSession.Builder builder)
    {
        // two threads, and up to four attempts per task
        return builder.master("local[2,4]");
    }

    @Test
    void aRetriedTaskDoesNotRegisterTwice()
    {
        spark.udf().register("fail_first_attempt", (UDF1<Double, Double>) value -> {
            TaskContext task = TaskContext.get();
            if (task.attemptNumber() == 0 && task.partitionId() == 0) {
                throw new IllegalStateException("an executor lost while training");
            }
            return value;
        }, DataTypes.DoubleType);
        Dataset<Row> rows = spark.range(0, 300, 1, 3).selectExpr("fail_first_attempt(CAST(id AS DOUBLE)) AS a", "2 * id + 1 AS y");

        Row result = Onyx.trainModel(rows, "retried", "y", "linear_regression", null).first();
        assertThat(result.getString(0)).isEqualTo("retried/1");
        assertThat(result.getLong(result.fieldIndex("training_rows"))).isEqualTo(300);
        assertThat(store.listVersions("retried")).hasSize(1);
        assertThat(Onyx.predict(spark.sql("SELECT CAST(10 AS DOUBLE) AS a"), "retried").first().getDouble(1)).isCloseTo(21, within(1e-9));
    }

    @Test
    void aTrainingWhoseTasksKeepFailingRegistersNothing()
    {
        spark.udf().register("always_fail", (UDF1<Double, Double>) value -> {
            throw new IllegalStateException("a bad row");
        }, DataTypes.DoubleType);
        Dataset<Row> rows = spark.range(0, 300, 1, 3).selectExpr("always_fail(CAST(id AS DOUBLE)) AS a", "2 * id + 1 AS y");

        assertThatThrownBy(() -> Onyx.trainModel(rows, "never", "y", "linear_regression", null)).hasMessageContaining("a bad row");
        assertThat(store.listModels()).noneMatch(model -> model.name().equals("never"));
    }
}
