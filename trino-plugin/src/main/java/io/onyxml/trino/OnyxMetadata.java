package io.onyxml.trino;

import com.google.common.collect.ImmutableList;
import io.onyxml.trino.functions.PredictFunctions;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.function.BoundSignature;
import io.trino.spi.function.FunctionDependencyDeclaration;
import io.trino.spi.function.FunctionId;
import io.trino.spi.function.FunctionMetadata;
import io.trino.spi.function.SchemaFunctionName;

import java.util.Collection;
import java.util.List;

import static io.trino.spi.function.FunctionDependencyDeclaration.NO_DEPENDENCIES;

/**
 * The connector has one schema, {@value #SCHEMA}, holding its functions, procedures and catalog tables.
 */
public class OnyxMetadata
        implements ConnectorMetadata
{
    public static final String SCHEMA = "system";

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        return ImmutableList.of(SCHEMA);
    }

    @Override
    public Collection<FunctionMetadata> listFunctions(ConnectorSession session, String schemaName)
    {
        return schemaName.equals(SCHEMA) ? PredictFunctions.functions() : List.of();
    }

    @Override
    public Collection<FunctionMetadata> getFunctions(ConnectorSession session, SchemaFunctionName name)
    {
        if (!name.getSchemaName().equals(SCHEMA)) {
            return List.of();
        }
        return PredictFunctions.functions().stream()
                .filter(function -> function.getCanonicalName().equals(name.getFunctionName()))
                .toList();
    }

    @Override
    public FunctionMetadata getFunctionMetadata(ConnectorSession session, FunctionId functionId)
    {
        return PredictFunctions.functions().stream()
                .filter(function -> function.getFunctionId().equals(functionId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown function: " + functionId));
    }

    @Override
    public FunctionDependencyDeclaration getFunctionDependencies(ConnectorSession session, FunctionId functionId, BoundSignature boundSignature)
    {
        return NO_DEPENDENCIES;
    }
}
