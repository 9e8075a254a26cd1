package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
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
        Onyx.dropAlias(session(), requiredText(input, 0), requiredText(input, 1));
        return noResult();
    }
}
