package io.onyxml.inference.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.DeviceSpec;
import io.onyxml.inference.EvaluatorPolicy;
import io.onyxml.inference.InferenceConfig;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;

/**
 * Rows per second of the batched API ({@link Predictor#predict}) next to raw ONNX Runtime fed from a reused direct
 * FloatBuffer, for the linear model and an MLP 4-64-64-1, on one intra-op thread. The batched API is fed two ways:
 * four double columns (what SQL tables have; includes converting and interleaving them) and one array-of-float column
 * holding the same row-major floats as the raw buffer. Run it through {@link ScoringBenchmarkReport}, which turns
 * operations into rows and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchedScoringBenchmark
{
    private static final int FEATURES = 4;

    @Param({"linear", "mlp"})
    public String model;

    @Param({"1", "64", "1024", "8192"})
    public int batchSize;

    // what scores the Onyx benchmarks: auto (the compiled evaluator where it compiles the model) or onnxruntime
    @Param("auto")
    public String evaluator;

    private Path directory;
    private ModelStore store;
    private InferenceEngine engine;
    private Predictor predictor;
    private ColumnBatch batch;
    private Predictor arrayPredictor;
    private ColumnBatch arrayBatch;

    private OrtEnvironment environment;
    private OrtSession.SessionOptions rawOptions;
    private OrtSession rawSession;
    private FloatBuffer rawInput;
    private long[] rawShape;

    @Setup(Level.Trial)
    public void setUp()
            throws Exception
    {
        byte[] bytes = model.equals("linear") ? TestModels.linearRegression() : TestModels.mlp(FEATURES, 64, 1, 42).bytes();
        directory = Files.createTempDirectory("onyx-benchmark-");
        store = ModelStore.open(ModelStoreConfig.local(directory));
        ModelManifest manifest = store.register(model, ModelSource.of(bytes), RegisterOptions.DEFAULTS);
        engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.CPU).withIntraOpThreads(1).withEvaluator(EvaluatorPolicy.parse(evaluator)));
        List<InputColumn> columns = List.of(
                new InputColumn("a", ScalarType.DOUBLE),
                new InputColumn("b", ScalarType.DOUBLE),
                new InputColumn("c", ScalarType.DOUBLE),
                new InputColumn("d", ScalarType.DOUBLE));
        predictor = engine.predictor(manifest, columns, BindingMode.BY_POSITION);

        Random random = new Random(1);
        double[][] values = new double[FEATURES][batchSize];
        ColumnBatch.Builder builder = ColumnBatch.builder(batchSize);
        for (int feature = 0; feature < FEATURES; feature++) {
            for (int row = 0; row < batchSize; row++) {
                values[feature][row] = random.nextGaussian();
            }
            builder.add(columns.get(feature).name(), new DoubleColumn(values[feature], null));
        }
        batch = builder.build();

        environment = OrtEnvironment.getEnvironment();
        rawOptions = new OrtSession.SessionOptions();
        rawOptions.setIntraOpNumThreads(1);
        rawOptions.setInterOpNumThreads(1);
        rawOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        rawSession = environment.createSession(bytes, rawOptions);
        rawInput = ByteBuffer.allocateDirect(batchSize * FEATURES * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int row = 0; row < batchSize; row++) {
            for (int feature = 0; feature < FEATURES; feature++) {
                rawInput.put(row * FEATURES + feature, (float) values[feature][row]);
            }
        }
        rawShape = new long[] {batchSize, FEATURES};

        float[] rowMajor = new float[batchSize * FEATURES];
        rawInput.get(0, rowMajor);
        arrayPredictor = engine.predictor(manifest, List.of(new InputColumn("x", ColumnType.array(ScalarType.FLOAT))), BindingMode.BY_POSITION);
        arrayBatch = ColumnBatch.builder(batchSize).add("x", ArrayColumn.fixedWidth(new FloatColumn(rowMajor, null), FEATURES, null)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown()
            throws Exception
    {
        rawSession.close();
        rawOptions.close();
        engine.close();
        store.close();
        deleteRecursively(directory, ALLOW_INSECURE);
    }

    @Benchmark
    public ColumnBatch onyxDoubleColumns()
    {
        return predictor.predict(batch);
    }

    /**
     * The same floats as the raw benchmark, in the same row-major layout: one array column per row.
     */
    @Benchmark
    public ColumnBatch onyxFloatArray()
    {
        return arrayPredictor.predict(arrayBatch);
    }

    @Benchmark
    public float[] rawOnnxRuntime()
            throws OrtException
    {
        try (OnnxTensor input = OnnxTensor.createTensor(environment, rawInput, rawShape);
                OrtSession.Result result = rawSession.run(Map.of("x", input))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
        }
    }
}
