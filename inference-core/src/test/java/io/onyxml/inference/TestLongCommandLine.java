package io.onyxml.inference;

import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX Runtime 1.29.0 kills the JVM (SIGSEGV) when the process command line is about 4 KB or longer, as Spark
 * executors' command lines are. This starts a JVM with a command line of at least 16 KB that loads and scores a
 * model, and checks that it exits normally with the right prediction.
 */
class TestLongCommandLine
{
    private static final int MINIMUM_COMMAND_LINE = 16 * 1024;

    @TempDir
    Path directory;

    @Test
    void scoresInAJvmWithASixteenKilobyteCommandLine()
            throws Exception
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        // a class path as long as a Spark executor's: the real entries plus many that do not exist
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (int i = 0; classPath.length() < MINIMUM_COMMAND_LINE; i++) {
            classPath.append(File.pathSeparator).append(directory.resolve("missing-library-" + i + ".jar"));
        }
        command.add("-cp");
        command.add(classPath.toString());
        command.add("-Donyx.test.padding=" + "x".repeat(1024));
        command.add(LongCommandLineScoring.class.getName());
        command.add(directory.resolve("store").toString());
        assertThat(String.join(" ", command).length()).isGreaterThanOrEqualTo(MINIMUM_COMMAND_LINE);

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the scoring JVM finished").isTrue();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("exit status of the scoring JVM; output:%n%s", output).isZero();
        String prediction = output.lines().filter(line -> line.startsWith("prediction=")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(prediction.substring("prediction=".length()))).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-5));
    }
}
