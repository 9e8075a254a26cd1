package io.onyxml.spark;

import io.onyxml.inference.ResultKind;
import io.onyxml.spark.execution.BatchPredictStrategy;
import io.onyxml.spark.functions.PredictFunction;
import io.onyxml.spark.rules.BatchPredictions;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import scala.runtime.BoxedUnit;

/**
 * Onyx in Spark SQL, enabled by configuration: {@code spark.sql.extensions=io.onyxml.spark.OnyxExtensions}. It only
 * wires: the functions {@code predict}, {@code predict_label}, {@code predict_proba} and {@code predict_vector}; the
 * rule that moves their calls into batches (after the operator optimisations, so filters are pushed down first); the
 * strategy that plans those batches.
 */
public final class OnyxExtensions
        implements SparkSessionExtensionsProvider
{
    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions)
    {
        for (ResultKind kind : ResultKind.values()) {
            extensions.injectFunction(PredictFunction.registration(kind));
        }
        extensions.injectPreCBORule(session -> new BatchPredictions());
        extensions.injectPlannerStrategy(BatchPredictStrategy::new);
        return BoxedUnit.UNIT;
    }
}
