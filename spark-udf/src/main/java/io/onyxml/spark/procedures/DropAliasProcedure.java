package io.onyxml.spark.procedures;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;

import java.util.Iterator;

/**
 * {@code CALL ml.system.drop_alias(name, alias)}: removes an alias; the version it pointed at stays.
 */
final class DropAliasProcedure
        extends BaseProcedure
{
    DropAliasProcedure()
    {
        super("drop_alias", "Removes an alias of a model", text("name"), text("alias"));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        models().store().removeAlias(requiredText(input, 0), requiredText(input, 1));
        return noResult();
    }
}
