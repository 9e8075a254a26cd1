package io.onyxml.inference;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a loaded model actually runs, e.g. {@code cpu} or {@code cuda:0}, and why it is not where it was asked to
 * run, if it is not.
 */
public record ExecutionDevice(String name, Optional<String> fallbackReason)
{
    public static final ExecutionDevice CPU = new ExecutionDevice("cpu", Optional.empty());

    public ExecutionDevice
    {
        requireNonNull(name, "name is null");
        requireNonNull(fallbackReason, "fallbackReason is null");
    }

    public static ExecutionDevice cpuFallback(String reason)
    {
        return new ExecutionDevice("cpu", Optional.of(reason));
    }

    public boolean isGpu()
    {
        return name.startsWith("cuda");
    }

    @Override
    public String toString()
    {
        return fallbackReason.map(reason -> name + " (fallback: " + reason + ")").orElse(name);
    }
}
