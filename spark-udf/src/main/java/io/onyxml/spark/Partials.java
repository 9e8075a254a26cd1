package io.onyxml.spark;

import com.google.common.base.Throwables;
import io.onyxml.store.OnyxException;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One pass over a DataFrame: each partition summarised where it is into a mergeable partial result of the training
 * module, the partials merged by Spark's tree aggregation ({@code treeAggregate}: merged in a tree on the executors,
 * the driver merges only the last level), the result on the driver. An error of the core on an executor (a NaN, a
 * limit) comes back as that error, not wrapped in Spark's job failure.
 */
final class Partials
{
    private Partials() {}

    interface Summary<T>
            extends Serializable
    {
        T of(Iterator<Row> partition);
    }

    /**
     * @param empty the partial of no rows (what an empty DataFrame gives)
     * @param merge merges the second partial into the first and returns it
     */
    static <T> T aggregate(Dataset<Row> rows, Summary<T> summary, T empty, Function2<T, T, T> merge)
    {
        FlatMapFunction<Iterator<Row>, T> perPartition = partition -> List.of(summary.of(partition)).iterator();
        try {
            return rows.javaRDD().mapPartitions(perPartition).treeAggregate(empty, merge, merge);
        }
        catch (Exception e) {
            // Spark's job failure is a checked SparkException that Scala throws undeclared
            Optional<OnyxException> core = coreError(e);
            if (core.isPresent()) {
                throw core.get();
            }
            throw e;
        }
    }

    /**
     * The core's error inside a failed Spark job, with the job's failure as its cause.
     */
    static Optional<OnyxException> coreError(Exception failure)
    {
        if (failure instanceof OnyxException || !(failure instanceof SparkException)) {
            return Optional.empty();
        }
        return Throwables.getCausalChain(failure).stream()
                .filter(OnyxException.class::isInstance)
                .map(OnyxException.class::cast)
                .findFirst()
                .map(error -> new OnyxException(error.errorCode(), error.getMessage(), failure, error.isRetryable()));
    }
}
