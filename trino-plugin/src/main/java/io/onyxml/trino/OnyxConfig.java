package io.onyxml.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.DefunctConfig;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import io.onyxml.inference.DeviceSpec;
import io.onyxml.inference.EvaluatorPolicy;
import io.onyxml.inference.InferenceConfig;
import io.onyxml.store.OnyxException;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;

import static io.airlift.units.DataSize.Unit.GIGABYTE;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Where a catalog's models are and how they run.
 */
@DefunctConfig("onyx.model-reference-cache-ttl")
public class OnyxConfig
{
    private String modelStore;
    private String modelCacheDirectory;
    private DataSize modelCacheSize = DataSize.of(2, GIGABYTE);
    private String device = "auto";
    private DataSize sessionCacheSize = DataSize.of(1, GIGABYTE);
    private int intraOpThreads = 1;
    private int maxConcurrentLoads = InferenceConfig.DEFAULT_MAX_CONCURRENT_LOADS;
    private Duration maxCallTime = new Duration(InferenceConfig.DEFAULT_MAX_CALL_TIME.toMinutes(), MINUTES);
    private String evaluator = "auto";
    private int batchSize;
    private Duration changeDelay = new Duration(1, SECONDS);

    @NotNull
    public String getModelStore()
    {
        return modelStore;
    }

    @Config("onyx.model-store")
    @ConfigDescription("Where models are kept: a local directory or s3://bucket/prefix")
    public OnyxConfig setModelStore(String modelStore)
    {
        this.modelStore = modelStore;
        return this;
    }

    public Optional<String> getModelCacheDirectory()
    {
        return Optional.ofNullable(modelCacheDirectory);
    }

    @Config("onyx.model-cache-directory")
    @ConfigDescription("Local directory for model files downloaded from a remote store (default: a folder in java.io.tmpdir)")
    public OnyxConfig setModelCacheDirectory(String modelCacheDirectory)
    {
        this.modelCacheDirectory = modelCacheDirectory;
        return this;
    }

    @NotNull
    public DataSize getModelCacheSize()
    {
        return modelCacheSize;
    }

    @Config("onyx.model-cache-size")
    @ConfigDescription("Size the local cache of downloaded model files is trimmed to")
    public OnyxConfig setModelCacheSize(DataSize modelCacheSize)
    {
        this.modelCacheSize = modelCacheSize;
        return this;
    }

    @NotNull
    public String getDevice()
    {
        return device;
    }

    @Config("onyx.device")
    @ConfigDescription("Where models run: auto, cpu, cuda or cuda:N")
    public OnyxConfig setDevice(String device)
    {
        this.device = device;
        return this;
    }

    @AssertTrue(message = "onyx.device must be auto, cpu, cuda or cuda:N")
    public boolean isDeviceValid()
    {
        try {
            DeviceSpec.parse(device);
            return true;
        }
        catch (OnyxException e) {
            return false;
        }
    }

    public DeviceSpec getDeviceSpec()
    {
        return DeviceSpec.parse(device);
    }

    @NotNull
    public String getEvaluator()
    {
        return evaluator;
    }

    @Config("onyx.evaluator")
    @ConfigDescription("Which evaluator serves the models: auto (compiled in the JVM where that is faster, ONNX Runtime otherwise), compiled (every graph the compiler handles, batches too), or onnxruntime (never compiled, for debugging)")
    public OnyxConfig setEvaluator(String evaluator)
    {
        this.evaluator = evaluator;
        return this;
    }

    @AssertTrue(message = "onyx.evaluator must be auto, compiled or onnxruntime")
    public boolean isEvaluatorValid()
    {
        try {
            EvaluatorPolicy.parse(evaluator);
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    public EvaluatorPolicy getEvaluatorPolicy()
    {
        return EvaluatorPolicy.parse(evaluator);
    }

    @Min(0)
    @Max(1 << 20)
    public int getBatchSize()
    {
        return batchSize;
    }

    @Config("onyx.batch-size")
    @ConfigDescription("Rows per model call in the predict table function; 0 chooses by device: 4096 on the CPU, 65536 on a GPU")
    public OnyxConfig setBatchSize(int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    @NotNull
    public DataSize getSessionCacheSize()
    {
        return sessionCacheSize;
    }

    @Config("onyx.session-cache-size")
    @ConfigDescription("Memory budget of loaded models on each node; least recently used models are unloaded beyond it")
    public OnyxConfig setSessionCacheSize(DataSize sessionCacheSize)
    {
        this.sessionCacheSize = sessionCacheSize;
        return this;
    }

    @Min(0)
    public int getIntraOpThreads()
    {
        return intraOpThreads;
    }

    @Config("onyx.intra-op-threads")
    @ConfigDescription("ONNX Runtime threads per scoring call; 1 suits Trino, which already runs one driver per core")
    public OnyxConfig setIntraOpThreads(int intraOpThreads)
    {
        this.intraOpThreads = intraOpThreads;
        return this;
    }

    @Min(1)
    public int getMaxConcurrentLoads()
    {
        return maxConcurrentLoads;
    }

    @Config("onyx.max-concurrent-loads")
    @ConfigDescription("Most models loading at once on each node; further loads wait for their turn")
    public OnyxConfig setMaxConcurrentLoads(int maxConcurrentLoads)
    {
        this.maxConcurrentLoads = maxConcurrentLoads;
        return this;
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getMaxCallTime()
    {
        return maxCallTime;
    }

    @Config("onyx.max-call-time")
    @ConfigDescription("Longest one ONNX Runtime call (one batch of the table function, one row of the scalar functions) may run before it is stopped and its query fails")
    public OnyxConfig setMaxCallTime(Duration maxCallTime)
    {
        this.maxCallTime = maxCallTime;
        return this;
    }

    @NotNull
    @MinDuration("0s")
    @MaxDuration("1m")
    public Duration getChangeDelay()
    {
        return changeDelay;
    }

    @Config("onyx.change-delay")
    @ConfigDescription("How long after it is written a change to the models (register, alias, drop) takes effect; procedures wait it out, and a write slower than this is the only way the nodes of one query could see different versions")
    public OnyxConfig setChangeDelay(Duration changeDelay)
    {
        this.changeDelay = changeDelay;
        return this;
    }
}
