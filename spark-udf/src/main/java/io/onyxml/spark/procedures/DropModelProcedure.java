package io.onyxml.spark.procedures;

import io.onyxml.spark.ExecutorModels;
import io.onyxml.store.ModelManifest;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;

import java.util.Iterator;
import java.util.List;

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
        String name = requiredText(input, 0);
        ExecutorModels models = models();
        List<ModelManifest> deleted = models.store().listVersions(name);
        models.store().deleteModel(name);
        models.deleted(deleted);
        return noResult();
    }
}
