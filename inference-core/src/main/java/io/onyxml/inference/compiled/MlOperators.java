package io.onyxml.inference.compiled;

import java.util.Map;

final class MlOperators
{
    private MlOperators() {}

    static void register(Map<String, OperatorCompiler> compilers)
    {
    }
}
