package io.onyxml.spark;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.SparkJavaOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Locale.ENGLISH;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The shaded jar is self-contained: {@code OnyxSparkScenario} is compiled against the jar and Spark's own jars alone,
 * then run on Java 17 and Java 25 with nothing else, no test classpath: with {@code java -cp <scenario>:<shaded
 * jar>:<Spark's jars>}, and as {@code spark-submit --jars <shaded jar>} runs it (Spark's {@code SparkSubmit} on a
 * classpath of Spark's jars, which loads the shaded jar and the scenario's jar in a class loader of its own). The
 * scenario scores, trains, trains XGBoost and uses an S3 store; this test computes the expected values itself. Spark's
 * jars are Spark's own dependencies, resolved as Spark declares them ({@code src/test/spark-classpath/pom.xml}), not
 * with this build's versions.
 */
@TestInstance(PER_CLASS)
class ShadedJarIT
{
    private static final String SHADED_PREFIX = "io/onyxml/spark/shaded/";

    // where each class must come from: the shaded jar, Spark's jars, or nowhere
    private static final Map<String, Origin> CLASSES = ImmutableMap.<String, Origin>builder()
            .put("io.onyxml.spark.Onyx", Origin.ONYX)
            .put("ai.onnxruntime.OrtEnvironment", Origin.ONYX)
            .put("ml.dmlc.xgboost4j.java.XGBoost", Origin.ONYX)
            .put("io.onyxml.spark.shaded.com.google.protobuf.Message", Origin.ONYX)
            .put("io.onyxml.spark.shaded.ai.onnx.proto.OnnxMl", Origin.ONYX)
            .put("io.onyxml.spark.shaded.com.fasterxml.jackson.databind.ObjectMapper", Origin.ONYX)
            .put("io.onyxml.spark.shaded.com.google.common.collect.ImmutableList", Origin.ONYX)
            .put("io.onyxml.spark.shaded.software.amazon.awssdk.services.s3.S3Client", Origin.ONYX)
            .put("io.onyxml.spark.shaded.org.apache.hc.client5.http.impl.classic.CloseableHttpClient", Origin.ONYX)
            .put("io.onyxml.spark.shaded.com.esotericsoftware.kryo.Kryo", Origin.ONYX)
            .put("com.google.protobuf.Message", Origin.SPARK)
            .put("com.fasterxml.jackson.databind.ObjectMapper", Origin.SPARK)
            .put("com.google.common.collect.ImmutableList", Origin.SPARK)
            .put("com.esotericsoftware.kryo.Kryo", Origin.SPARK)
            .put("org.objenesis.Objenesis", Origin.SPARK)
            .put("org.slf4j.LoggerFactory", Origin.SPARK)
            .put("org.apache.commons.logging.LogFactory", Origin.SPARK)
            .put("ai.onnx.proto.OnnxMl", Origin.ABSENT)
            .put("org.tribuo.util.onnx.ONNXContext", Origin.ABSENT)
            .put("software.amazon.awssdk.services.s3.S3Client", Origin.ABSENT)
            .put("org.apache.hc.client5.http.impl.classic.CloseableHttpClient", Origin.ABSENT)
            .put("org.ejml.data.DMatrixRMaj", Origin.ABSENT)
            .buildOrThrow();

    private static final Pattern OUTPUT = Pattern.compile("onyx> (.*)");
    private static final int TRAINING_ROWS = 200;

    private Path shadedJar;
    private List<Path> sparkJars;
    private Path directory;
    private Path scenarioClasses;
    private Path scenarioJar;
    private S3ProxyServer s3;
    private final Map<Integer, double[]> features = new HashMap<>();

    @BeforeAll
    void setUp()
            throws Exception
    {
        shadedJar = Path.of(System.getProperty("onyx.shaded-jar"));
        assertThat(shadedJar).isRegularFile();
        sparkJars = Stream.of(Files.readString(Path.of(System.getProperty("onyx.spark-classpath"))).strip().split(File.pathSeparator))
                .map(Path::of)
                .collect(toImmutableList());
        assertThat(sparkJars).anySatisfy(jar -> assertThat(jar.getFileName().toString()).startsWith("spark-sql_2.13-"));
        directory = Files.createTempDirectory(Path.of(System.getProperty("onyx.it-directory")), "shaded-jar-");

        Files.write(directory.resolve("linear.onnx"), TestModels.linearRegression());
        StringBuilder csv = new StringBuilder("id,a,b,c,d\n");
        for (int id = 0; id < 40; id++) {
            double[] row = {id * 0.5, Math.sin(id), id % 3, -id * 0.25};
            features.put(id, row);
            csv.append(id).append(',').append(Stream.of(row[0], row[1], row[2], row[3]).map(String::valueOf).collect(joining(","))).append('\n');
        }
        Files.writeString(directory.resolve("features.csv"), csv);
        csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < TRAINING_ROWS; i++) {
            double a = i * 0.1;
            double b = Math.cos(i) * 10;
            csv.append(a).append(',').append(b).append(',').append(trainedFormula(a, b)).append('\n');
        }
        Files.writeString(directory.resolve("training.csv"), csv);

        // compiled against the shaded jar and Spark alone: a public signature that needed anything else would fail here
        scenarioClasses = Files.createDirectories(directory.resolve("scenario-classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int status = compiler.run(null, messages, messages,
                "--release", "17",
                "-d", scenarioClasses.toString(),
                "-classpath", Stream.concat(Stream.of(shadedJar), sparkJars.stream()).map(Path::toString).collect(joining(File.pathSeparator)),
                System.getProperty("onyx.scenario-source"));
        assertThat(status).as("compiling the scenario against the shaded jar:%n%s", messages.toString(UTF_8)).isZero();
        scenarioJar = directory.resolve("scenario.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(scenarioJar)); Stream<Path> files = Files.walk(scenarioClasses)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(scenarioClasses.relativize(file).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }

        s3 = new S3ProxyServer(Files.createTempDirectory(directory, "s3-"));
        s3.createBucket("onyx");
    }

    @AfterAll
    void tearDown()
            throws IOException
    {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void jarHoldsOnlyOnyxAndTheJniLibrariesUnrelocated()
            throws IOException
    {
        try (ZipFile jar = new ZipFile(shadedJar.toFile())) {
            Set<String> names = jar.stream().map(ZipEntry::getName).collect(toImmutableSet());
            // every class is Onyx's, relocated under io.onyxml.spark.shaded, or one of the JNI libraries that cannot move
            assertThat(names.stream()
                    .filter(name -> name.endsWith(".class"))
                    .filter(name -> !name.startsWith("io/onyxml/") && !name.startsWith("ai/onnxruntime/") && !name.startsWith("ml/dmlc/xgboost4j/"))
                    .sorted()
                    .toList())
                    .isEmpty();
            // of Onyx, the engine-neutral modules and the Spark module (not the command line, not Trino's)
            assertThat(names.stream()
                    .filter(name -> name.startsWith("io/onyxml/") && name.endsWith(".class") && !name.startsWith(SHADED_PREFIX))
                    .map(name -> name.substring(0, name.indexOf('/', "io/onyxml/".length())))
                    .collect(toImmutableSet()))
                    .containsExactlyInAnyOrder("io/onyxml/store", "io/onyxml/inference", "io/onyxml/training", "io/onyxml/spark");
            assertThat(names).filteredOn(name -> name.startsWith(SHADED_PREFIX) && name.endsWith(".class"))
                    .anyMatch(name -> name.startsWith(SHADED_PREFIX + "com/fasterxml/jackson/databind/"))
                    .anyMatch(name -> name.startsWith(SHADED_PREFIX + "com/google/common/collect/"))
                    .anyMatch(name -> name.startsWith(SHADED_PREFIX + "com/google/protobuf/"))
                    .anyMatch(name -> name.startsWith(SHADED_PREFIX + "ai/onnx/proto/"))
                    .anyMatch(name -> name.startsWith(SHADED_PREFIX + "software/amazon/awssdk/services/s3/"))
                    .anyMatch(name -> name.startsWith(SHADED_PREFIX + "org/apache/hc/client5/"));
            // nothing of Spark, Scala, Hadoop or logging; no signatures of the original jars; no Java-version-specific copies
            assertThat(names).noneMatch(name -> name.startsWith("org/apache/spark/") || name.startsWith("scala/") || name.startsWith("org/apache/hadoop/") || name.startsWith("org/slf4j/"));
            assertThat(names).noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)") || name.startsWith("META-INF/versions/"));
            // the native libraries stay where ONNX Runtime and XGBoost4J look for them
            assertThat(names).contains(
                    "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                    "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                    "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib",
                    "lib/linux/x86_64/libxgboost4j.so",
                    "lib/linux/aarch64/libxgboost4j.so",
                    "lib/macos/aarch64/libxgboost4j.dylib");
            // service files are relocated with their interfaces and name classes that are in the jar
            List<String> services = names.stream().filter(name -> name.startsWith("META-INF/services/") && !name.endsWith("/")).sorted().toList();
            assertThat(services).contains(
                    "META-INF/services/io.onyxml.spark.shaded.software.amazon.awssdk.http.SdkHttpService",
                    "META-INF/services/io.onyxml.spark.shaded.com.fasterxml.jackson.core.JsonFactory");
            for (String service : services) {
                assertThat(service).startsWith("META-INF/services/io.onyxml.");
                String text = new String(jar.getInputStream(jar.getEntry(service)).readAllBytes(), UTF_8);
                List<String> implementations = text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
                assertThat(implementations).as(service).isNotEmpty();
                for (String implementation : implementations) {
                    assertThat(names).as(service).contains(implementation.replace('.', '/') + ".class");
                }
            }
        }
    }

    @ParameterizedTest(name = "Java {0}, {1}")
    @CsvSource({"17, CLASSPATH", "25, CLASSPATH", "17, SPARK_SUBMIT", "25, SPARK_SUBMIT"})
    void scoresAndTrainsWithSparkAlone(int feature, Launch launch)
            throws Exception
    {
        Optional<Path> java = javaExecutable(feature);
        assumeTrue(java.isPresent(), () -> "No Java " + feature + " to run the shaded jar on: none under /usr/lib/jvm and -Donyx.java" + feature + ".home is not set");

        Path run = Files.createDirectories(directory.resolve("java-" + feature + "-" + launch.name().toLowerCase(ENGLISH)));
        List<String> command = new ArrayList<>();
        command.add(java.get().toString());
        command.add("-Xmx1g");
        command.add("-Djava.io.tmpdir=" + Files.createDirectories(run.resolve("tmp")));
        command.addAll(SparkJavaOptions.forJava(feature));
        command.add("-cp");
        // long command lines, as Spark executors have (ONNX Runtime 1.29.0 crashed the JVM on those)
        switch (launch) {
            case CLASSPATH -> {
                command.add(Stream.concat(Stream.of(scenarioClasses, shadedJar), sparkJars.stream()).map(Path::toString).collect(joining(File.pathSeparator)));
                command.add("io.onyxml.spark.scenario.OnyxSparkScenario");
            }
            case SPARK_SUBMIT -> {
                command.add(sparkJars.stream().map(Path::toString).collect(joining(File.pathSeparator)));
                command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--class", "io.onyxml.spark.scenario.OnyxSparkScenario", "--jars", shadedJar.toString(), scenarioJar.toString()));
            }
        }
        command.add("store=" + Files.createDirectories(run.resolve("store")));
        command.add("model=" + directory.resolve("linear.onnx"));
        command.add("features=" + directory.resolve("features.csv"));
        command.add("training=" + directory.resolve("training.csv"));
        command.add("classes=" + String.join(",", CLASSES.keySet()));
        command.add("s3-endpoint=" + s3.endpoint());
        command.add("s3-bucket=onyx");
        command.add("s3-access-key=" + S3ProxyServer.ACCESS_KEY);
        command.add("s3-secret-key=" + S3ProxyServer.SECRET_KEY);
        command.add("s3-prefix=" + run.getFileName());

        Path stdout = run.resolve("stdout.txt");
        Path stderr = run.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("The scenario on Java %d (%s) did not finish in 5 minutes; its output is in %s".formatted(feature, launch, run));
        }
        List<String> output = Files.readAllLines(stdout).stream()
                .map(OUTPUT::matcher)
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .toList();
        String diagnostics = "exit status %d on Java %d (%s); output:%n%s%nlast lines of stderr:%n%s".formatted(process.exitValue(), feature, launch, String.join("\n", output), tail(stderr, 60));
        assertThat(process.exitValue()).as(diagnostics).isZero();
        assertThat(output).as(diagnostics).contains("step s3", "done");

        // the relocated copies are used, Spark's own libraries stay Spark's
        Set<String> sparkJarNames = sparkJars.stream().map(jar -> jar.getFileName().toString()).collect(toImmutableSet());
        Map<String, Origin> origins = new HashMap<>();
        for (String[] fields : lines(output, "class")) {
            String origin = fields[2];
            origins.put(fields[1], switch (origin) {
                case "onyx" -> Origin.ONYX;
                case "absent" -> Origin.ABSENT;
                default -> {
                    assertThat(sparkJarNames).as("the jar of %s", fields[1]).contains(origin);
                    yield Origin.SPARK;
                }
            });
        }
        assertThat(origins).as(diagnostics).isEqualTo(CLASSES);

        assertThat(lines(output, "registered")).singleElement().satisfies(fields -> assertThat(fields[1]).isEqualTo("linear/1"));
        List<String[]> predictions = lines(output, "predict");
        assertThat(predictions).hasSize(features.size());
        for (String[] fields : predictions) {
            double[] x = features.get(Integer.parseInt(fields[1]));
            // the model computes in float
            assertThat(Double.parseDouble(fields[2])).isCloseTo(TestModels.linearReference(x), within(1e-4));
        }

        assertThat(lines(output, "trained")).singleElement().satisfies(fields -> {
            assertThat(fields[1]).isEqualTo("trained/1");
            assertThat(Long.parseLong(fields[2])).isEqualTo(TRAINING_ROWS);
            assertThat(Double.parseDouble(fields[3])).isCloseTo(1, within(1e-9));
        });
        List<String[]> trainedPredictions = lines(output, "predict-trained");
        assertThat(trainedPredictions).hasSize(features.size());
        for (String[] fields : trainedPredictions) {
            double[] x = features.get(Integer.parseInt(fields[1]));
            assertThat(Double.parseDouble(fields[2])).isCloseTo(trainedFormula(x[0], x[1]), within(1e-9));
        }

        List<String[]> sqlPredictions = lines(output, "sql");
        assertThat(sqlPredictions).hasSize(features.size());
        for (String[] fields : sqlPredictions) {
            assertThat(Double.parseDouble(fields[2])).isCloseTo(TestModels.linearReference(features.get(Integer.parseInt(fields[1]))), within(1e-4));
        }
        assertThat(lines(output, "catalog")).extracting(fields -> fields[1] + " " + fields[2]).containsExactly("linear 1", "trained 1");

        assertThat(lines(output, "xgboost")).singleElement().satisfies(fields -> assertThat(fields).containsExactly("xgboost", "8", "true"));
        assertThat(lines(output, "s3")).singleElement().satisfies(fields -> assertThat(fields).containsExactly("s3", "linear/1", "linear/1", "true"));

        // the options above are the ones this Java needs: no warnings about native access or sun.misc.Unsafe
        assertThat(Files.readString(stderr)).doesNotContain("WARNING: A restricted method", "WARNING: A terminally deprecated method in sun.misc.Unsafe");
    }

    /**
     * What the training rows' label is: the linear model Spark's training must find.
     */
    private static double trainedFormula(double a, double b)
    {
        return 3 * a - 2 * b + 1;
    }

    private static List<String[]> lines(List<String> output, String kind)
    {
        return output.stream()
                .map(line -> line.split(" "))
                .filter(fields -> fields[0].equals(kind))
                .toList();
    }

    /**
     * A {@code java} of this feature version: {@code -Donyx.java<N>.home}, the JVM running this test, or one under
     * {@code /usr/lib/jvm}.
     */
    private static Optional<Path> javaExecutable(int feature)
            throws IOException
    {
        String configured = System.getProperty("onyx.java" + feature + ".home", "");
        if (!configured.isBlank()) {
            return Optional.of(Path.of(configured, "bin", "java"));
        }
        if (Runtime.version().feature() == feature) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        Path installed = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(installed)) {
            for (Path home : homes) {
                Path release = home.resolve("release");
                Path java = home.resolve("bin").resolve("java");
                if (Files.isRegularFile(release) && Files.isExecutable(java) && featureVersion(release) == feature) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }

    private static int featureVersion(Path release)
    {
        Properties properties = new Properties();
        try {
            properties.load(Files.newBufferedReader(release, UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        return Integer.parseInt(version.split("[.+-]")[0]);
    }

    private static String tail(Path file, int count)
            throws IOException
    {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private enum Origin
    {
        ONYX, SPARK, ABSENT
    }

    enum Launch
    {
        /**
         * {@code java -cp <scenario>:<shaded jar>:<Spark's jars>}
         */
        CLASSPATH,
        /**
         * {@code java -cp <Spark's jars> org.apache.spark.deploy.SparkSubmit --jars <shaded jar> <scenario jar>}
         */
        SPARK_SUBMIT
    }
}
