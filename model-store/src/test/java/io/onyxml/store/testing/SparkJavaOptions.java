package io.onyxml.store.testing;

import com.google.common.collect.ImmutableList;

import java.util.List;

/**
 * The Java options a JVM running Spark needs, for tests that start Spark programs in JVMs of their own (the shaded
 * Spark jar's test, the cross-engine test): the module options Spark's launcher gives drivers and executors
 * ({@code org.apache.spark.launcher.JavaModuleOptions}), and the native-access options of ONNX Runtime and XGBoost4J
 * where the Java knows them (Java 17 refuses {@code --sun-misc-unsafe-memory-access}).
 */
public final class SparkJavaOptions
{
    private static final List<String> MODULE_OPTIONS = ImmutableList.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private SparkJavaOptions() {}

    /**
     * The options for a Java of this feature release (17, 25, ...).
     */
    public static List<String> forJava(int feature)
    {
        ImmutableList.Builder<String> options = ImmutableList.builder();
        options.addAll(MODULE_OPTIONS);
        options.add("--enable-native-access=ALL-UNNAMED");
        if (feature >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options.build();
    }
}
