package io.onyxml.inference;

import java.time.Duration;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * How the inference core runs models.
 *
 * @param device where models run, see {@link DeviceSpec}
 * @param sessionCacheBytes the memory budget of loaded models; least recently used models are unloaded beyond it.
 * A loaded model is counted as {@link #estimatedSessionBytes twice its file size} plus 1 MiB
 * @param intraOpThreads threads ONNX Runtime may use inside one call; 1 suits engines that already run one scoring
 * call per core, 0 lets ONNX Runtime use all cores
 * @param evaluator which evaluator serves the models, see {@link EvaluatorPolicy}
 * @param maxConcurrentLoads how many models load at once; more loads wait for their turn, so that a burst of first
 * queries for many models does not read and prepare them all at the same moment
 * @param maxCallTime the longest one ONNX Runtime call may run before it is stopped
 */
public record InferenceConfig(DeviceSpec device, long sessionCacheBytes, int intraOpThreads, EvaluatorPolicy evaluator, int maxConcurrentLoads, Duration maxCallTime)
{
    public static final long DEFAULT_SESSION_CACHE_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_CONCURRENT_LOADS = 2;
    public static final Duration DEFAULT_MAX_CALL_TIME = Duration.ofMinutes(5);
    public static final InferenceConfig DEFAULTS = new InferenceConfig(DeviceSpec.AUTO, DEFAULT_SESSION_CACHE_BYTES, 1, EvaluatorPolicy.AUTO);

    public InferenceConfig(DeviceSpec device, long sessionCacheBytes, int intraOpThreads)
    {
        this(device, sessionCacheBytes, intraOpThreads, EvaluatorPolicy.AUTO);
    }

    public InferenceConfig(DeviceSpec device, long sessionCacheBytes, int intraOpThreads, EvaluatorPolicy evaluator)
    {
        this(device, sessionCacheBytes, intraOpThreads, evaluator, DEFAULT_MAX_CONCURRENT_LOADS, DEFAULT_MAX_CALL_TIME);
    }

    public InferenceConfig
    {
        requireNonNull(device, "device is null");
        requireNonNull(evaluator, "evaluator is null");
        checkArgument(sessionCacheBytes >= 0, "sessionCacheBytes is negative");
        checkArgument(intraOpThreads >= 0, "intraOpThreads is negative");
        checkArgument(maxConcurrentLoads > 0, "maxConcurrentLoads must be positive");
        requireNonNull(maxCallTime, "maxCallTime is null");
        checkArgument(!maxCallTime.isNegative() && !maxCallTime.isZero(), "maxCallTime must be positive");
    }

    public InferenceConfig withDevice(DeviceSpec device)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator, maxConcurrentLoads, maxCallTime);
    }

    public InferenceConfig withSessionCacheBytes(long sessionCacheBytes)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator, maxConcurrentLoads, maxCallTime);
    }

    public InferenceConfig withIntraOpThreads(int intraOpThreads)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator, maxConcurrentLoads, maxCallTime);
    }

    public InferenceConfig withEvaluator(EvaluatorPolicy evaluator)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator, maxConcurrentLoads, maxCallTime);
    }

    public InferenceConfig withMaxConcurrentLoads(int maxConcurrentLoads)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator, maxConcurrentLoads, maxCallTime);
    }

    public InferenceConfig withMaxCallTime(Duration maxCallTime)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator, maxConcurrentLoads, maxCallTime);
    }

    /**
     * What a loaded model counts against the budget: ONNX Runtime holds the weights as parsed and once more as
     * prepared for its kernels, so twice the file, plus a fixed allowance for the session itself.
     */
    public static long estimatedSessionBytes(long modelFileBytes)
    {
        return 2 * modelFileBytes + (1 << 20);
    }
}
