package io.onyxml.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueKind;
import io.onyxml.store.ValueSpec;

import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.MODEL_LOAD_FAILED;
import static io.onyxml.store.OnyxErrorCode.SIGNATURE_MISMATCH;
import static java.lang.String.format;
import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Creates ONNX Runtime sessions on the configured device, falling back to the CPU when a model cannot be loaded on
 * the GPU, and checks that the file's signature is the one its manifest declares.
 */
final class ModelLoader
{
    private static final Logger LOG = System.getLogger(ModelLoader.class.getName());
    private static final String ORT_TYPE_PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";
    private static final String CONSTANT_FOLDING_LIMIT = "optimization.constant_folding_max_output_size_in_bytes";
    private static final long MIN_FOLDING_LIMIT = 1 << 20;
    private static final long MAX_FOLDING_LIMIT = 1 << 30;
    // one trial load at a time in the whole process, whatever the number of catalogs, so that registrations cannot
    // add up their loads
    private static final Semaphore TRIAL_LOADS = new Semaphore(1);

    private final OrtEnvironment environment;
    private final InferenceConfig config;
    private final GpuVisibility gpuVisibility;

    ModelLoader(OrtEnvironment environment, InferenceConfig config)
    {
        this(environment, config, GpuVisibility.ofThisProcess());
    }

    ModelLoader(OrtEnvironment environment, InferenceConfig config, GpuVisibility gpuVisibility)
    {
        this.environment = requireNonNull(environment, "environment is null");
        this.config = requireNonNull(config, "config is null");
        this.gpuVisibility = requireNonNull(gpuVisibility, "gpuVisibility is null");
    }

    static boolean isCudaAvailable()
    {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    /**
     * Loads a model being registered once on the CPU and closes it again, to prove that ONNX Runtime can load it and
     * reads the signature the store recorded. Its memory is returned at once: no arena, no memory patterns.
     *
     * @throws OnyxException {@code INVALID_MODEL_FILE} with ONNX Runtime's reason, cleaned of paths
     */
    void tryLoad(ModelManifest draft, ByteBuffer modelBytes)
    {
        ByteBuffer direct = directCopy(modelBytes);
        TRIAL_LOADS.acquireUninterruptibly();
        try (OrtSession.SessionOptions options = newOptions(modelBytes.remaining())) {
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            try (OrtSession session = environment.createSession(direct, options)) {
                checkSignature(draft, session);
            }
        }
        catch (OrtException e) {
            LOG.log(DEBUG, format("ONNX Runtime cannot load model '%s'", draft.name()), e);
            throw new OnyxException(INVALID_MODEL_FILE, format("ONNX Runtime %s cannot load the ONNX file for model '%s': %s", environment.getVersion(), draft.name(), OrtMessages.clean(e.getMessage())));
        }
        catch (OnyxException e) {
            if (e.errorCode() != SIGNATURE_MISMATCH) {
                throw e;
            }
            throw new OnyxException(INVALID_MODEL_FILE, format("ONNX Runtime reads the ONNX file for model '%s' differently from its declarations: %s", draft.name(), e.getMessage()));
        }
        finally {
            TRIAL_LOADS.release();
        }
    }

    LoadedModel load(ModelManifest manifest, ByteBuffer modelBytes)
    {
        ByteBuffer direct = directCopy(modelBytes);
        LoadedModel model = switch (config.device().kind()) {
            case CPU -> loadOnCpu(manifest, direct, ExecutionDevice.CPU, modelBytes);
            case AUTO -> isCudaAvailable() && gpuVisibility.anyVisible()
                    ? loadOnGpu(manifest, direct, 0, modelBytes)
                    : loadOnCpu(manifest, direct, ExecutionDevice.CPU, modelBytes);
            case CUDA -> loadOnGpu(manifest, direct, config.device().deviceId(), modelBytes);
        };
        try {
            checkSignature(manifest, model.session());
        }
        catch (RuntimeException e) {
            model.release();
            throw e;
        }
        return model;
    }

    private LoadedModel loadOnGpu(ModelManifest manifest, ByteBuffer bytes, int deviceId, ByteBuffer modelBytes)
    {
        String reason;
        if (!isCudaAvailable()) {
            reason = "this ONNX Runtime build has no CUDA support (use the onnxruntime_gpu build)";
        }
        else {
            OrtSession.SessionOptions options = newOptions(manifest.sizeBytes());
            try {
                options.addCUDA(deviceId);
                ExecutionDevice device = new ExecutionDevice("cuda:" + deviceId, Optional.empty());
                return new LoadedModel(manifest, environment.createSession(bytes, options), options, device, evaluators(manifest, device, modelBytes));
            }
            catch (OrtException | RuntimeException e) {
                options.close();
                reason = "loading on cuda:" + deviceId + " failed: " + OrtMessages.clean(e.getMessage());
            }
        }
        LOG.log(WARNING, format("Model %s runs on the CPU instead of cuda:%s: %s", manifest.reference(), deviceId, reason));
        return loadOnCpu(manifest, bytes, ExecutionDevice.cpuFallback(reason), modelBytes);
    }

    private LoadedModel loadOnCpu(ModelManifest manifest, ByteBuffer bytes, ExecutionDevice device, ByteBuffer modelBytes)
    {
        OrtSession.SessionOptions options = newOptions(manifest.sizeBytes());
        try {
            return new LoadedModel(manifest, environment.createSession(bytes, options), options, device, evaluators(manifest, device, modelBytes));
        }
        catch (OrtException | RuntimeException e) {
            options.close();
            LOG.log(WARNING, format("ONNX Runtime cannot load model %s", manifest.reference()), e);
            throw new OnyxException(MODEL_LOAD_FAILED, format("ONNX Runtime cannot load model %s: %s", manifest.reference(), OrtMessages.clean(e.getMessage())));
        }
    }

    /**
     * Which evaluators serve the model on this device; compiles its graph unless the configuration rules that out.
     */
    private EvaluatorChoice evaluators(ModelManifest manifest, ExecutionDevice device, ByteBuffer modelBytes)
    {
        return EvaluatorChoice.choose(config.evaluator(), device, manifest, modelBytes);
    }

    /**
     * Options for a session of a model file of the given size. Constant folding may precompute no node's output
     * larger than the file itself (within 1 MiB to ONNX Runtime's own 1 GiB), so that a small file declaring a huge
     * constant cannot make the load allocate for it.
     */
    private OrtSession.SessionOptions newOptions(long modelFileBytes)
    {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry(CONSTANT_FOLDING_LIMIT, Long.toString(Math.max(MIN_FOLDING_LIMIT, Math.min(MAX_FOLDING_LIMIT, modelFileBytes))));
            return options;
        }
        catch (OrtException e) {
            options.close();
            throw new OnyxException(MODEL_LOAD_FAILED, "Cannot configure an ONNX Runtime session: " + OrtMessages.clean(e.getMessage()), e);
        }
    }

    /**
     * Checks the inputs ONNX Runtime reports against the manifest: same names in the same order, same element types
     * and the same fixed dimensions; and the outputs: tensors where the manifest declares tensors, of the same element
     * types.
     */
    private static void checkSignature(ModelManifest manifest, OrtSession session)
    {
        try {
            List<String> problems = new ArrayList<>();
            Map<String, NodeInfo> inputs = session.getInputInfo();
            List<String> declared = manifest.signature().inputs().stream().map(ValueSpec::name).toList();
            if (!declared.equals(new ArrayList<>(inputs.keySet()))) {
                problems.add(format("inputs %s instead of %s", inputs.keySet(), declared));
            }
            for (ValueSpec input : manifest.signature().inputs()) {
                NodeInfo node = inputs.get(input.name());
                if (node != null && node.getInfo() instanceof TensorInfo tensor && input.isTensor()) {
                    String actualType = elementTypeName(tensor);
                    if (!actualType.equals(input.elementType().displayName())) {
                        problems.add(format("input '%s' has element type %s instead of %s", input.name(), actualType, input.elementType().displayName()));
                    }
                    if (input.shape().isPresent() && !sameDimensions(input.shape().get(), tensor.getShape())) {
                        problems.add(format("input '%s' has shape %s instead of %s", input.name(), Arrays.toString(tensor.getShape()), input.typeText()));
                    }
                }
            }
            // a graph output that is an initializer, not a node's output, has the initializer's type whatever the
            // output declares
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            for (ValueSpec output : manifest.signature().outputs()) {
                NodeInfo node = outputs.get(output.name());
                if (node == null || output.kind() == ValueKind.OTHER) {
                    continue;
                }
                if (output.isTensor() != (node.getInfo() instanceof TensorInfo)) {
                    problems.add(format("output '%s' is %s instead of %s", output.name(), node.getInfo(), output.typeText()));
                }
                else if (node.getInfo() instanceof TensorInfo tensor && output.elementType() != ElementType.UNDEFINED) {
                    String actualType = elementTypeName(tensor);
                    if (!actualType.equals(output.elementType().displayName())) {
                        problems.add(format("output '%s' has element type %s instead of %s", output.name(), actualType, output.elementType().displayName()));
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new OnyxException(SIGNATURE_MISMATCH, format(
                        "The ONNX file of model %s does not match its manifest: %s; register the model again",
                        manifest.reference(),
                        String.join("; ", problems)));
            }
        }
        catch (OrtException e) {
            throw new OnyxException(MODEL_LOAD_FAILED, format("ONNX Runtime cannot describe model %s: %s", manifest.reference(), OrtMessages.clean(e.getMessage())), e);
        }
    }

    /**
     * The element type of a tensor as ONNX Runtime reports it, named like {@link ElementType#displayName()}.
     */
    static String elementTypeName(TensorInfo tensor)
    {
        return tensor.onnxType.name().replace(ORT_TYPE_PREFIX, "").toLowerCase(Locale.ROOT);
    }

    private static boolean sameDimensions(List<Long> declared, long[] actual)
    {
        if (declared.size() != actual.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            long left = declared.get(i);
            if (left != ValueSpec.DYNAMIC && actual[i] >= 0 && left != actual[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * ONNX Runtime reads a model from a direct buffer only.
     */
    private static ByteBuffer directCopy(ByteBuffer bytes)
    {
        if (bytes.isDirect()) {
            return bytes.duplicate();
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining());
        direct.put(bytes.duplicate());
        direct.flip();
        return direct;
    }
}
