package io.onyxml.inference.compiled;

import com.google.common.collect.ImmutableMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operators the compiler handles, by domain and type; each family registers its own.
 */
final class Operators
{
    private static final Map<String, OperatorCompiler> COMPILERS;

    static {
        Map<String, OperatorCompiler> compilers = new HashMap<>();
        TensorOperators.register(compilers);
        MlOperators.register(compilers);
        TreeEnsembleOperators.register(compilers);
        COMPILERS = ImmutableMap.copyOf(compilers);
    }

    private Operators() {}

    static Optional<OperatorCompiler> forNode(String domain, String opType)
    {
        return Optional.ofNullable(COMPILERS.get(domain + ":" + opType));
    }

    static String key(String domain, String opType)
    {
        return domain + ":" + opType;
    }
}
