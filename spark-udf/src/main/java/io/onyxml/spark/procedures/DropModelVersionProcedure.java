package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataTypes;

import java.util.Iterator;

/**
 * {@code CALL ml.system.drop_model_version(name, version [, force])}: deletes a version; one an alias points at only
 * with {@code force => true}.
 */
final class DropModelVersionProcedure
        extends BaseProcedure
{
    DropModelVersionProcedure()
    {
        super("drop_model_version", "Deletes a version of a model", text("name"), required("version", DataTypes.LongType), optional("force", DataTypes.BooleanType, "false"));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        Onyx.dropModelVersion(session(), requiredText(input, 0), version(input, 1), !input.isNullAt(2) && input.getBoolean(2));
        return noResult();
    }
}
