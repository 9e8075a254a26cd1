package io.onyxml.integration;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.testing.SparkJavaOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * A Spark application in a JVM of its own, on what {@code spark-submit --jars} gives one: the Onyx jar for Spark
 * (spark-udf's shaded jar) and Spark's own jars, nothing of this test's classpath. The application is one Java source
 * file, run by the source launcher of the JDK that runs the test ({@code java <options> -cp <jars> Program.java
 * key=value...}) with the options Spark's launcher gives a driver on that Java.
 */
final class SparkProgram
{
    private static final String BUILD_COMMAND = "./mvnw -pl integration-tests -am verify -Dit.test=TrinoAndSparkIT -Dfailsafe.failIfNoSpecifiedTests=false";
    private static final Pattern OUTPUT = Pattern.compile("onyx> (.*)");

    private final List<Path> classpath;

    private SparkProgram(List<Path> classpath)
    {
        this.classpath = ImmutableList.copyOf(classpath);
    }

    /**
     * The jars the build made: spark-udf's shaded jar ({@code package}) and the list of Spark's jars that its
     * integration tests resolve ({@code pre-integration-test}), found where the build wrote them.
     */
    static SparkProgram fromBuild()
            throws IOException
    {
        // the shaded jar carries io.onyxml.store next to relocated Guava and Jackson: it must not meet this JVM's model store
        if (SparkProgram.class.getClassLoader().getResource("io/onyxml/spark/Onyx.class") != null) {
            throw new IllegalStateException("Onyx's Spark classes are on this test's classpath; the Onyx jar for Spark must only run in the Spark program's JVM");
        }
        Path jar = Path.of(System.getProperty("onyx.spark.jar"));
        Path sparkClasspath = Path.of(System.getProperty("onyx.spark.classpath"));
        for (Path built : List.of(jar, sparkClasspath)) {
            if (!Files.isRegularFile(built)) {
                throw new IllegalStateException(format(
                        "%s does not exist: spark-udf builds the Onyx jar for Spark and lists Spark's jars before its integration tests; build them and run this test with %s",
                        built,
                        BUILD_COMMAND));
            }
        }
        List<Path> sparkJars = Stream.of(Files.readString(sparkClasspath).strip().split(File.pathSeparator))
                .map(Path::of)
                .collect(toImmutableList());
        return new SparkProgram(ImmutableList.<Path>builder().add(jar).addAll(sparkJars).build());
    }

    /**
     * Runs the program in {@code directory} (its working and temporary directory, where its stdout and stderr stay)
     * and returns what it printed after {@code "onyx> "}, line by line; fails with its output when it fails or runs
     * longer than {@code timeout}.
     */
    List<String> run(Path source, Path directory, List<String> arguments, Duration timeout)
            throws IOException, InterruptedException
    {
        ImmutableList.Builder<String> command = ImmutableList.builder();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Djava.io.tmpdir=" + Files.createDirectories(directory.resolve("tmp")));
        command.addAll(SparkJavaOptions.forJava(Runtime.version().feature()));
        command.add("-cp", classpath.stream().map(Path::toString).collect(joining(File.pathSeparator)));
        command.add(source.toString());
        command.addAll(arguments);

        Path stdout = directory.resolve("stdout.txt");
        Path stderr = directory.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command.build())
                .directory(directory.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(format("%s did not finish in %s; its output is in %s", source.getFileName(), timeout, directory));
        }
        List<String> output = Files.readAllLines(stdout).stream()
                .map(OUTPUT::matcher)
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .collect(toImmutableList());
        if (process.exitValue() != 0) {
            throw new AssertionError(format("%s exited with status %s; its output:%n%s%nthe last lines of its stderr (all in %s):%n%s",
                    source.getFileName(),
                    process.exitValue(),
                    String.join("\n", output),
                    stderr,
                    tail(stderr, 60)));
        }
        return output;
    }

    private static String tail(Path file, int count)
            throws IOException
    {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
