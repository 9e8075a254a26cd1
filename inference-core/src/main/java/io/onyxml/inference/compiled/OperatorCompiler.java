package io.onyxml.inference.compiled;

/**
 * Compiles one kind of ONNX node into a {@link Step}, or defines its outputs without a step (for nodes that only
 * rename or reshape values). Throws {@link UnsupportedGraphException} for what it does not handle.
 */
@FunctionalInterface
public interface OperatorCompiler
{
    /**
     * @return the step that computes the node's outputs, or null when binding the outputs was enough
     */
    Step compile(NodeContext node);
}
