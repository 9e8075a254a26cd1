package io.onyxml.spark.procedures;

import io.onyxml.store.OnyxException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;

import java.util.ArrayList;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;

/**
 * The rows a procedure trains or evaluates on: {@code input} names a table or view, or is a query.
 */
final class ProcedureInputs
{
    private ProcedureInputs() {}

    static Dataset<Row> rows(SparkSession spark, String input)
    {
        if (input == null || input.isBlank()) {
            throw new OnyxException(INVALID_ARGUMENT, "input must name a table or be a query: input => 'houses' or input => 'SELECT ... FROM houses'");
        }
        try {
            spark.sessionState().sqlParser().parseMultipartIdentifier(input);
        }
        catch (ParseException notAName) {
            return spark.sql(input);
        }
        return spark.table(input);
    }

    /**
     * Only the listed feature columns and the label, as Trino's {@code features => DESCRIPTOR(...)} chooses them.
     */
    static Dataset<Row> select(Dataset<Row> rows, List<String> features, String label)
    {
        if (features == null) {
            return rows;
        }
        if (features.isEmpty() || features.contains(null)) {
            throw new OnyxException(INVALID_ARGUMENT, "features must list column names: features => array('a', 'b')");
        }
        List<Column> columns = new ArrayList<>();
        features.forEach(feature -> columns.add(rows.col(feature)));
        if (label != null && features.stream().noneMatch(label::equalsIgnoreCase)) {
            columns.add(rows.col(label));
        }
        return rows.select(columns.toArray(Column[]::new));
    }
}
