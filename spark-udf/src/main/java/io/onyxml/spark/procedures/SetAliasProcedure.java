package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataTypes;

import java.util.Iterator;

/**
 * {@code CALL ml.system.set_alias(name, alias, version)}: points an alias ({@code production}, {@code staging}) at a
 * version.
 */
final class SetAliasProcedure
        extends BaseProcedure
{
    SetAliasProcedure()
    {
        super("set_alias", "Points an alias at a version of a model", text("name"), text("alias"), required("version", DataTypes.LongType));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        Onyx.setAlias(session(), requiredText(input, 0), requiredText(input, 1), version(input, 2));
        return noResult();
    }
}
