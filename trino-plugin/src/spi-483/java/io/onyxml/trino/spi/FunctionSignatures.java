package io.onyxml.trino.spi;

import io.trino.spi.function.SchemaFunctionName;
import io.trino.spi.function.Signature;

import static io.trino.spi.type.TypeTemplates.typeVariable;

/**
 * Function signatures and names in the SPI's terms.
 */
public final class FunctionSignatures
{
    private FunctionSignatures() {}

    /**
     * Adds an argument of any row type.
     */
    public static Signature.Builder rowArgument(Signature.Builder signature)
    {
        return signature
                .rowTypeParameter("T")
                .argumentType(typeVariable("T"));
    }

    public static String schemaName(SchemaFunctionName name)
    {
        return name.schemaName();
    }

    public static String functionName(SchemaFunctionName name)
    {
        return name.functionName();
    }
}
