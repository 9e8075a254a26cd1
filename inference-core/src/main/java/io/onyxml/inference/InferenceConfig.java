package io.onyxml.inference;

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
 */
public record InferenceConfig(DeviceSpec device, long sessionCacheBytes, int intraOpThreads, EvaluatorPolicy evaluator)
{
    public static final long DEFAULT_SESSION_CACHE_BYTES = 1L << 30;
    public static final InferenceConfig DEFAULTS = new InferenceConfig(DeviceSpec.AUTO, DEFAULT_SESSION_CACHE_BYTES, 1, EvaluatorPolicy.AUTO);

    public InferenceConfig(DeviceSpec device, long sessionCacheBytes, int intraOpThreads)
    {
        this(device, sessionCacheBytes, intraOpThreads, EvaluatorPolicy.AUTO);
    }

    public InferenceConfig
    {
        requireNonNull(device, "device is null");
        requireNonNull(evaluator, "evaluator is null");
        checkArgument(sessionCacheBytes >= 0, "sessionCacheBytes is negative");
        checkArgument(intraOpThreads >= 0, "intraOpThreads is negative");
    }

    public InferenceConfig withDevice(DeviceSpec device)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator);
    }

    public InferenceConfig withSessionCacheBytes(long sessionCacheBytes)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator);
    }

    public InferenceConfig withIntraOpThreads(int intraOpThreads)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator);
    }

    public InferenceConfig withEvaluator(EvaluatorPolicy evaluator)
    {
        return new InferenceConfig(device, sessionCacheBytes, intraOpThreads, evaluator);
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
