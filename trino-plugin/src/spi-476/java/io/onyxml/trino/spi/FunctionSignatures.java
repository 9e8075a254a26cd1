package io.onyxml.trino.spi;

import io.trino.spi.function.SchemaFunctionName;
import io.trino.spi.function.Signature;
import io.trino.spi.type.TypeSignature;

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
                .variadicTypeParameter("T", "row")
                .argumentType(new TypeSignature("T"));
    }

    public static String schemaName(SchemaFunctionName name)
    {
        return name.getSchemaName();
    }

    public static String functionName(SchemaFunctionName name)
    {
        return name.getFunctionName();
    }
}
