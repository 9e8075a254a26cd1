package io.onyxml.inference.compiled;

import java.util.Map;

final class TensorOperators
{
    private TensorOperators() {}

    static void register(Map<String, OperatorCompiler> compilers)
    {
    }
}
