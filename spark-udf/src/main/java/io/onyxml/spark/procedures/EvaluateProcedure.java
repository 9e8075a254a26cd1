package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataTypes;

import java.util.Iterator;

/**
 * {@code CALL ml.system.evaluate(input => 'table or query', model => ... [, label => ...])}: Trino's
 * {@code evaluate} in Spark SQL (see {@link Onyx#evaluate}), answering with its row: {@code rows} and
 * {@code metrics}.
 */
final class EvaluateProcedure
        extends BaseProcedure
{
    EvaluateProcedure()
    {
        super("evaluate",
                "Measures a model on the labelled rows of a table or query",
                text("input"),
                text("model"),
                optional("label", DataTypes.StringType, "NULL"));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        Dataset<Row> result = Onyx.evaluate(ProcedureInputs.rows(session(), requiredText(input, 0)), requiredText(input, 1), text(input, 2));
        return result(result.schema(), result.collectAsList());
    }
}
