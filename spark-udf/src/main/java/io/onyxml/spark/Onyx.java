package io.onyxml.spark;

import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.TableCall;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.PinnedModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;

/**
 * Onyx from Spark code. {@link #predict} is BigQuery's {@code ML.PREDICT} for DataFrames: every input column, then
 * the model's result columns, the columns bound to the model's features by name as in Trino's {@code predict} table
 * function; the reference is resolved once, on the driver, so every task of the job scores one version.
 */
public final class Onyx
{
    /** rows per ONNX Runtime call */
    public static final String BATCH_SIZE = OnyxSparkConfig.PREFIX + "batch-size";

    private Onyx() {}

    public static Dataset<Row> predict(Dataset<Row> input, String reference)
    {
        SparkSession spark = input.sparkSession();
        OnyxSparkConfig config = OnyxSparkConfig.from(spark.sparkContext().getConf());
        ModelManifest manifest = ExecutorModels.get(config).store().resolve(ModelReference.parse(reference));
        StructType schema = input.schema();
        List<EngineColumn> columns = Arrays.stream(schema.fields()).map(SparkTypes::column).collect(toImmutableList());
        TableCall call = TableCall.bind(manifest, columns, Optional.empty());

        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        for (ResultColumn result : call.results()) {
            fields.add(DataTypes.createStructField(result.name(), SparkTypes.toSparkType(result.type()), true));
        }
        StructType output = DataTypes.createStructType(fields);
        int batchSize = Integer.parseInt(spark.conf().get(BATCH_SIZE, "4096"));
        PredictPartitions partitions = new PredictPartitions(
                config,
                PinnedModel.of(manifest),
                call.channels(),
                call.channels().stream().map(index -> schema.fields()[index].name()).collect(toImmutableList()),
                call.channels().stream().map(index -> columns.get(index).type().orElseThrow()).collect(toImmutableList()),
                call.mode(),
                batchSize);
        return input.mapPartitions(partitions, Encoders.row(output));
    }
}
