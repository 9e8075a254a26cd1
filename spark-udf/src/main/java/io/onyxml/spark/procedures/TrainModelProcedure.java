package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataTypes;

import java.util.Iterator;

/**
 * {@code CALL ml.system.train_model(input => 'table or query', model => ..., algorithm => ... [, label => ...,
 * options => ..., features => array(...)])}: Trino's {@code train_model} in Spark SQL (see {@link Onyx#trainModel}),
 * answering with Trino's result row. Spark wants the required parameters first, so called by position the
 * algorithm comes before the label; by name (as Trino's table function is called) the order does not matter.
 */
final class TrainModelProcedure
        extends BaseProcedure
{
    TrainModelProcedure()
    {
        super("train_model",
                "Trains a model on the rows of a table or query and registers it as a new version",
                text("input"),
                text("model"),
                text("algorithm"),
                optional("label", DataTypes.StringType, "NULL"),
                optional("options", DataTypes.StringType, "NULL"),
                optional("features", DataTypes.createArrayType(DataTypes.StringType), "NULL"));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        String label = text(input, 3);
        Dataset<Row> rows = ProcedureInputs.select(ProcedureInputs.rows(session(), requiredText(input, 0)), texts(input, 5), label);
        Dataset<Row> result = Onyx.trainModel(rows, requiredText(input, 1), label, requiredText(input, 2), text(input, 4));
        return result(result.schema(), result.collectAsList());
    }
}
