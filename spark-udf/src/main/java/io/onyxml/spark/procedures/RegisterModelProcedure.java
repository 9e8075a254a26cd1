package io.onyxml.spark.procedures;

import io.onyxml.spark.Onyx;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.RegisterOptions;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Iterator;
import java.util.List;

/**
 * {@code CALL ml.system.register_model(name, uri [, description, task, feature_names, handles_missing_values,
 * class_labels])}: Trino's procedure, reading the file on the driver from {@code spark.onyx.register-model.allowed-locations}.
 * Unlike Trino's {@code CALL}, it answers with the version it registered.
 */
final class RegisterModelProcedure
        extends BaseProcedure
{
    private static final StructType RESULT = DataTypes.createStructType(List.of(
            DataTypes.createStructField("model", DataTypes.StringType, false),
            DataTypes.createStructField("version", DataTypes.LongType, false),
            DataTypes.createStructField("sha256", DataTypes.StringType, false)));

    RegisterModelProcedure()
    {
        super("register_model",
                "Adds a version of a model from an ONNX file, or an XGBoost JSON or UBJSON model converted to ONNX",
                text("name"),
                text("uri"),
                optional("description", DataTypes.StringType, "NULL"),
                optional("task", DataTypes.StringType, "NULL"),
                optional("feature_names", DataTypes.createArrayType(DataTypes.StringType), "NULL"),
                optional("handles_missing_values", DataTypes.BooleanType, "false"),
                optional("class_labels", DataTypes.createArrayType(DataTypes.StringType), "NULL"));
    }

    @Override
    public Iterator<Scan> call(InternalRow input)
    {
        String name = requiredText(input, 0);
        String uri = requiredText(input, 1);
        RegisterOptions options = RegisterOptions.fromArguments(text(input, 2), text(input, 3), texts(input, 4), !input.isNullAt(5) && input.getBoolean(5), texts(input, 6));
        ModelManifest manifest = Onyx.registerModel(session(), name, uri, options);
        return result(RESULT, List.of(RowFactory.create(manifest.reference().toString(), (long) manifest.version(), manifest.sha256())));
    }
}
