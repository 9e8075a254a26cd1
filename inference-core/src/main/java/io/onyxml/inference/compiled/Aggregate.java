package io.onyxml.inference.compiled;

/**
 * How a TreeEnsembleRegressor combines the weights of its trees ({@code aggregate_function}).
 */
enum Aggregate
{
    SUM,
    AVERAGE,
    MIN,
    MAX;

    static Aggregate parse(NodeContext context)
    {
        String name = context.stringAttribute("aggregate_function", "SUM");
        for (Aggregate aggregate : values()) {
            if (aggregate.name().equals(name)) {
                return aggregate;
            }
        }
        throw context.unsupported("aggregate_function " + name);
    }
}
