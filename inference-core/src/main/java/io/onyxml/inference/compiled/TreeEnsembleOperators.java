package io.onyxml.inference.compiled;

import java.util.Map;

final class TreeEnsembleOperators
{
    private TreeEnsembleOperators() {}

    static void register(Map<String, OperatorCompiler> compilers)
    {
    }
}
