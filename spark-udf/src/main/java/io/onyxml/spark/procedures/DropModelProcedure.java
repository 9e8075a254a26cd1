package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;

import java.util.Iterator;

/**
 * {@code CALL ml.system.drop_model(name)}: deletes a model with all its versions and aliases.
 */
final class DropModelProcedure
        extends BaseProcedure
{
    DropModelProcedure()
    {
        super("drop_model", "Deletes a model with all its versions and aliases", text("name"));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        Onyx.dropModel(session(), requiredText(input, 0));
        return noResult();
    }
}
