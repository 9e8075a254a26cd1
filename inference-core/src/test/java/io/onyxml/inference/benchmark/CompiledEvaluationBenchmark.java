package io.onyxml.inference.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.onyxml.inference.compiled.CompiledModel;
import io.onyxml.inference.compiled.Frame;
import io.onyxml.store.testing.TestModels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static java.lang.String.format;

/**
 * Nanoseconds per row of three ways to score the linear model, the MLP 4-64-64-1 and the 100-tree forest of depth 6
 * on one thread: the compiled interpreter ({@link CompiledModel#evaluate}, one row at a time), Java source generated
 * from the model's weights and trees and compiled in-process with {@code javax.tools} into a fresh class loader (it
 * stands in for bytecode generated per model: the JIT sees what a bytecode generator would emit), and raw ONNX Runtime
 * batched at 4096 rows with {@link io.onyxml.inference.ModelLoader}'s options. The generated code is, for the linear
 * model, one expression with the weights as literals; for the MLP, loops with literal bounds over weights in static
 * final arrays (an axpy per input, as the interpreter does, which the JIT vectorizes); for the forest, one static
 * method per tree of nested if/else with the thresholds as literals, as tree compilers (lleaves, treelite) emit. The
 * {@code repeatedRow} variants score one row 4096 times, from an array laid out like the others: every branch is then
 * predicted, which isolates what mispredictions cost the generated trees on random rows. Setup checks that the three
 * agree on every row. Run it with (a benchmark pattern among the arguments replaces the default, all of this class)
 * <pre>
 * ./mvnw -q -o -pl inference-core -am test-compile exec:exec@inference-benchmark \
 *     -Dbenchmark.main=io.onyxml.inference.benchmark.CompiledEvaluationBenchmark \
 *     -Dbenchmark.args="-f 1 -wi 3 -w 1 -i 5 -r 1"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CompiledEvaluationBenchmark.ROWS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CompiledEvaluationBenchmark
{
    static final int ROWS = 4096;
    private static final int FEATURES = BenchmarkModels.FEATURES;
    private static final List<String> VARIANTS = List.of("interpreter", "generated", "onnxRuntime", "interpreterRepeatedRow", "generatedRepeatedRow");

    /**
     * What the generated class implements: the model's output for the row of features at {@code x[offset]}.
     */
    public interface RowFunction
    {
        float apply(float[] x, int offset);
    }

    @Param({"linear", "mlp", "forest"})
    public String model;

    private float[] inputs;
    private float[] repeatedInputs;
    private float[] out;

    private CompiledModel compiled;
    private Frame frame;
    private int inputOffset;
    private int outputOffset;

    private RowFunction generated;

    private OrtEnvironment environment;
    private OrtSession.SessionOptions sessionOptions;
    private OrtSession session;
    private FloatBuffer batch;
    private long[] shape;

    @Setup(Level.Trial)
    public void setUp()
            throws Exception
    {
        byte[] bytes = BenchmarkModels.bytes(model);
        inputs = BenchmarkModels.inputs(model, ROWS, 1);
        repeatedInputs = new float[inputs.length];
        for (int row = 0; row < ROWS; row++) {
            System.arraycopy(inputs, 0, repeatedInputs, row * FEATURES, FEATURES);
        }
        out = new float[ROWS];

        compiled = CompiledModel.compile(ByteBuffer.wrap(bytes));
        frame = compiled.newFrame();
        inputOffset = compiled.inputs().get(0).offset();
        outputOffset = compiled.outputs().get(0).value().offset();

        String source = switch (model) {
            case "linear" -> linearSource("GeneratedLinear");
            case "mlp" -> mlpSource("GeneratedMlp", BenchmarkModels.mlp());
            default -> forestSource("GeneratedForest", BenchmarkModels.forest());
        };
        generated = compileSource(source);

        environment = OrtEnvironment.getEnvironment();
        sessionOptions = SessionOptionsBenchmark.sessionOptions("default");
        session = environment.createSession(bytes, sessionOptions);
        batch = ByteBuffer.allocateDirect(inputs.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        batch.put(0, inputs);
        shape = new long[] {ROWS, FEATURES};

        checkAgreement();
    }

    @TearDown(Level.Trial)
    public void tearDown()
            throws OrtException
    {
        session.close();
        sessionOptions.close();
    }

    private void checkAgreement()
            throws OrtException
    {
        float[] expected = onnxRuntime();
        float[] interpreted = interpreter().clone();
        float[] fromGenerated = generated().clone();
        for (int row = 0; row < ROWS; row++) {
            check(row, "interpreter", interpreted[row], expected[row]);
            check(row, "generated code", fromGenerated[row], expected[row]);
        }
    }

    private void check(int row, String variant, float actual, float expected)
    {
        // relative, with an absolute floor for outputs near zero, where float sums in another order differ
        if (!(Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected)))) {
            throw new IllegalStateException(format("%s %s gives %s for row %s where ONNX Runtime gives %s", model, variant, actual, row, expected));
        }
    }

    @Benchmark
    public float[] interpreter()
    {
        return interpret(inputs);
    }

    @Benchmark
    public float[] interpreterRepeatedRow()
    {
        return interpret(repeatedInputs);
    }

    private float[] interpret(float[] x)
    {
        double[] numbers = frame.numbers();
        for (int row = 0; row < ROWS; row++) {
            int at = row * FEATURES;
            for (int feature = 0; feature < FEATURES; feature++) {
                numbers[inputOffset + feature] = x[at + feature];
            }
            compiled.evaluate(frame);
            out[row] = (float) numbers[outputOffset];
        }
        return out;
    }

    @Benchmark
    public float[] generated()
    {
        return runGenerated(inputs);
    }

    @Benchmark
    public float[] generatedRepeatedRow()
    {
        return runGenerated(repeatedInputs);
    }

    private float[] runGenerated(float[] x)
    {
        RowFunction function = generated;
        for (int row = 0; row < ROWS; row++) {
            out[row] = function.apply(x, row * FEATURES);
        }
        return out;
    }

    @Benchmark
    public float[] onnxRuntime()
            throws OrtException
    {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, batch, shape);
                OrtSession.Result result = session.run(Map.of("x", tensor))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
        }
    }

    private static String literal(float value)
    {
        return Float.toString(value) + "f";
    }

    private static String header(String className)
    {
        return "public final class " + className + " implements " + RowFunction.class.getCanonicalName() + "\n{\n";
    }

    private static String linearSource(String className)
    {
        StringBuilder source = new StringBuilder(header(className));
        source.append("    public float apply(float[] x, int o)\n    {\n        return ");
        for (int feature = 0; feature < FEATURES; feature++) {
            source.append(feature == 0 ? "" : " + ").append("x[o + ").append(feature).append("] * ").append(literal(TestModels.LINEAR_WEIGHTS[feature]));
        }
        source.append(" + ").append(literal(TestModels.LINEAR_BIAS)).append(";\n    }\n}\n");
        return source.toString();
    }

    /**
     * Each hidden layer an axpy per input, accumulated with float fused multiply-adds from the bias, then ReLU; the
     * output layer a dot product. Each input's weights are an array of their own, read at the same index as the sums
     * they update, which the JIT vectorizes (it does not when it cannot prove the arrays distinct at other offsets).
     */
    private static String mlpSource(String className, TestModels.Mlp mlp)
    {
        int hidden = mlp.hidden();
        StringBuilder source = new StringBuilder(header(className));
        source.append("    private static final float[][] W0 = ").append(rowsLiteral(mlp.weights()[0], mlp.inputs(), hidden)).append(";\n");
        source.append("    private static final float[][] W1 = ").append(rowsLiteral(mlp.weights()[1], hidden, hidden)).append(";\n");
        source.append("    private static final float[] W2 = ").append(arrayLiteral(mlp.weights()[2])).append(";\n");
        for (int layer = 0; layer < 3; layer++) {
            source.append("    private static final float[] B").append(layer).append(" = ").append(arrayLiteral(mlp.biases()[layer])).append(";\n");
        }
        source.append("    private final float[] h0 = new float[").append(hidden).append("];\n");
        source.append("    private final float[] h1 = new float[").append(hidden).append("];\n\n");
        source.append("    public float apply(float[] x, int o)\n    {\n");
        source.append("        float[] h0 = this.h0;\n        float[] h1 = this.h1;\n");
        source.append(hiddenLayer("h0", "x", "o", mlp.inputs(), hidden, 0));
        source.append(hiddenLayer("h1", "h0", "0", hidden, hidden, 1));
        source.append("        float sum = 0;\n");
        source.append("        for (int j = 0; j < ").append(hidden).append("; j++) {\n");
        source.append("            sum = Math.fma(h1[j], W2[j], sum);\n        }\n");
        source.append("        return sum + B2[0];\n    }\n}\n");
        return source.toString();
    }

    private static String hiddenLayer(String target, String input, String offset, int inputs, int width, int layer)
    {
        return format("""
                        System.arraycopy(B%3$d, 0, %1$s, 0, %5$d);
                        for (int i = 0; i < %4$d; i++) {
                            float value = %2$s[%6$s + i];
                            float[] weights = W%3$d[i];
                            for (int j = 0; j < %5$d; j++) {
                                %1$s[j] = Math.fma(value, weights[j], %1$s[j]);
                            }
                        }
                        for (int j = 0; j < %5$d; j++) {
                            %1$s[j] = Math.max(%1$s[j], 0f);
                        }
                """, target, input, layer, inputs, width, offset);
    }

    private static String rowsLiteral(float[] values, int rows, int columns)
    {
        StringBuilder literal = new StringBuilder("{");
        for (int row = 0; row < rows; row++) {
            float[] rowValues = new float[columns];
            System.arraycopy(values, row * columns, rowValues, 0, columns);
            literal.append(row == 0 ? "" : ",\n            ").append(arrayLiteral(rowValues));
        }
        return literal.append("}").toString();
    }

    private static String arrayLiteral(float[] values)
    {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            literal.append(i == 0 ? "" : ", ").append(literal(values[i]));
        }
        return literal.append("}").toString();
    }

    /**
     * One static method per tree; a node that sends missing values left tests {@code !(x >= t)}, one that sends them
     * right {@code x < t}, so that NaN takes the right branch with one comparison, as lleaves does.
     */
    private static String forestSource(String className, TestModels.Forest forest)
    {
        int trees = forest.features().length;
        StringBuilder source = new StringBuilder(header(className));
        source.append("    public float apply(float[] x, int o)\n    {\n");
        for (int feature = 0; feature < FEATURES; feature++) {
            source.append("        float x").append(feature).append(" = x[o + ").append(feature).append("];\n");
        }
        source.append("        float sum = 0;\n");
        for (int tree = 0; tree < trees; tree++) {
            source.append("        sum += tree").append(tree).append("(x0, x1, x2, x3);\n");
        }
        source.append("        return sum + 0.5f;\n    }\n");
        for (int tree = 0; tree < trees; tree++) {
            source.append("\n    private static float tree").append(tree).append("(float x0, float x1, float x2, float x3)\n    {\n");
            treeNode(source, forest, tree, 0, 2);
            source.append("    }\n");
        }
        return source.append("}\n").toString();
    }

    private static void treeNode(StringBuilder source, TestModels.Forest forest, int tree, int node, int indent)
    {
        String pad = "    ".repeat(indent);
        int branches = (1 << forest.depth()) - 1;
        if (node >= branches) {
            source.append(pad).append("return ").append(literal(forest.leaves()[tree][node - branches])).append(";\n");
            return;
        }
        String feature = "x" + forest.features()[tree][node];
        String threshold = literal(forest.thresholds()[tree][node]);
        String condition = forest.missingLeft()[tree][node] ? "!(" + feature + " >= " + threshold + ")" : feature + " < " + threshold;
        source.append(pad).append("if (").append(condition).append(") {\n");
        treeNode(source, forest, tree, 2 * node + 1, indent + 1);
        source.append(pad).append("}\n");
        treeNode(source, forest, tree, 2 * node + 2, indent);
    }

    private static RowFunction compileSource(String source)
            throws ReflectiveOperationException
    {
        String className = source.substring("public final class ".length(), source.indexOf(' ', "public final class ".length()));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> classes = new TreeMap<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, null);
        JavaFileManager fileManager = new ForwardingJavaFileManager<>(standard)
        {
            @Override
            public JavaFileObject getJavaFileForOutput(JavaFileManager.Location location, String name, JavaFileObject.Kind kind, FileObject sibling)
            {
                return new SimpleJavaFileObject(URI.create("memory:///" + name.replace('.', '/') + kind.extension), kind)
                {
                    @Override
                    public OutputStream openOutputStream()
                    {
                        return classes.computeIfAbsent(name, ignored -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + JavaFileObject.Kind.SOURCE.extension), JavaFileObject.Kind.SOURCE)
        {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors)
            {
                return source;
            }
        };
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none");
        if (!compiler.getTask(diagnostics, fileManager, null, options, null, List.of(file)).call()) {
            throw new IllegalStateException("the generated source does not compile:\n" + diagnostics);
        }
        ClassLoader loader = new ClassLoader(CompiledEvaluationBenchmark.class.getClassLoader())
        {
            @Override
            protected Class<?> findClass(String name)
                    throws ClassNotFoundException
            {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes.toByteArray(), 0, bytes.size());
            }
        };
        return (RowFunction) loader.loadClass(className).getDeclaredConstructor().newInstance();
    }

    public static void main(String[] args)
            throws Exception
    {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        if (commandLine.getIncludes().isEmpty()) {
            builder.include(CompiledEvaluationBenchmark.class.getName());
        }
        Options options = builder.parent(commandLine).build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Map<String, Double>> table = new TreeMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            table.computeIfAbsent(result.getParams().getParam("model"), ignored -> new TreeMap<>())
                    .put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("ns/row on one thread; ratios to the interpreter on the same rows");
        StringBuilder header = new StringBuilder(format("%-7s", "model"));
        VARIANTS.forEach(name -> header.append(format("  %22s", name)));
        header.append(format("  %16s  %18s", "generated/interp", "ORT/interp"));
        System.out.println(header);
        table.forEach((model, scores) -> {
            StringBuilder line = new StringBuilder(format("%-7s", model));
            VARIANTS.forEach(name -> line.append(format("  %22.2f", scores.getOrDefault(name, Double.NaN))));
            double interpreter = scores.getOrDefault("interpreter", Double.NaN);
            line.append(format("  %16.2f  %18.2f", scores.getOrDefault("generated", Double.NaN) / interpreter, scores.getOrDefault("onnxRuntime", Double.NaN) / interpreter));
            System.out.println(line);
        });
    }
}
