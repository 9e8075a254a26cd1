package io.onyxml.spark.execution;

import io.onyxml.spark.rules.BatchPredict;
import io.onyxml.store.OnyxException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Plans {@link BatchPredict} as {@link BatchPredictExec}, with the session's {@code spark.onyx.batch-size}.
 */
public final class BatchPredictStrategy
        extends SparkStrategy
{
    public static final String BATCH_SIZE = "spark.onyx.batch-size";
    // 0: the default of the device the model runs on (Predictor.batchRows)
    public static final int DEFAULT_BATCH_SIZE = 0;
    private static final int MAX_BATCH_SIZE = 1 << 20;

    private final SparkSession session;

    public BatchPredictStrategy(SparkSession session)
    {
        this.session = requireNonNull(session, "session is null");
    }

    @Override
    public Seq<SparkPlan> apply(LogicalPlan plan)
    {
        if (plan instanceof BatchPredict batch) {
            return CollectionConverters.asScala(List.<SparkPlan>of(new BatchPredictExec(batch.predictions(), batch.results(), batch.passThrough(), planLater(batch.child()), batchSize(session)))).toSeq();
        }
        return CollectionConverters.asScala(List.<SparkPlan>of()).toSeq();
    }

    /**
     * Rows per model call: large enough to amortise a call (8 to 20 µs on a CPU), small enough for the cache; 0 (the
     * default) chooses by the device each executor runs the model on, see {@link io.onyxml.inference.Predictor#batchRows}.
     */
    public static int batchSize(SparkSession session)
    {
        String text = session.conf().get(BATCH_SIZE, String.valueOf(DEFAULT_BATCH_SIZE));
        try {
            int size = Integer.parseInt(text.strip());
            if (size >= 0 && size <= MAX_BATCH_SIZE) {
                return size;
            }
        }
        catch (NumberFormatException e) {
            // the message below
        }
        throw new OnyxException(INVALID_ARGUMENT, format("%s=%s is not a batch size: use a number of rows from 1 to %s, or 0 to choose by device", BATCH_SIZE, text, MAX_BATCH_SIZE));
    }
}
