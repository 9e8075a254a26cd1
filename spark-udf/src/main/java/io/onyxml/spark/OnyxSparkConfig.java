package io.onyxml.spark;

import io.onyxml.inference.DeviceSpec;
import io.onyxml.inference.EvaluatorPolicy;
import io.onyxml.inference.InferenceConfig;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegistrationPolicy;
import io.onyxml.store.S3Options;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Onyx's settings in a Spark application: the Trino catalog properties with {@code spark.} in front, the same names and
 * defaults ({@code spark.onyx.model-store}, {@code spark.onyx.device}, {@code spark.onyx.session-cache-size},
 * {@code spark.onyx.s3.endpoint}, ...). Serializable, so the driver hands it to the executors with each job; equal
 * settings share one store and engine per executor JVM. Unset optional settings are null (Optional is not
 * serializable).
 */
public record OnyxSparkConfig(
        String modelStore,
        String modelCacheDirectory,
        long modelCacheBytes,
        String device,
        long sessionCacheBytes,
        int intraOpThreads,
        String evaluator,
        long changeDelayMillis,
        String s3Endpoint,
        String s3Region,
        boolean s3PathStyleAccess,
        String s3AccessKey,
        String s3SecretKey,
        String s3ConditionalWrites,
        long s3RequestTimeoutMillis,
        String allowedLocations,
        long maxModelFileBytes,
        int maxConcurrentLoads,
        long maxCallTimeMillis)
        implements Serializable
{
    public static final String PREFIX = "spark.onyx.";

    public OnyxSparkConfig
    {
        requireNonNull(modelStore, "modelStore is null");
        requireNonNull(device, "device is null");
        requireNonNull(evaluator, "evaluator is null");
        if (maxModelFileBytes <= 0) {
            throw new OnyxException(INVALID_ARGUMENT, PREFIX + "max-model-file-size must be larger than 0B");
        }
        if (maxCallTimeMillis <= 0) {
            throw new OnyxException(INVALID_ARGUMENT, PREFIX + "max-call-time must be at least 1ms");
        }
    }

    /**
     * The settings of a Spark application, as set when it started.
     */
    public static OnyxSparkConfig from(SparkConf conf)
    {
        return from(conf::get);
    }

    /**
     * The settings of a session: the application's, and what {@code spark.conf.set} changed in the session since.
     */
    public static OnyxSparkConfig from(SparkSession spark)
    {
        return from(spark.conf()::get);
    }

    private static OnyxSparkConfig from(Settings conf)
    {
        String store = conf.get(PREFIX + "model-store", "");
        if (store.isBlank()) {
            throw new OnyxException(INVALID_ARGUMENT, "Onyx needs a model store: set spark.onyx.model-store to a directory or s3://bucket/prefix");
        }
        return new OnyxSparkConfig(
                store,
                option(conf, "model-cache-directory"),
                bytes(conf, "model-cache-size", "2GB"),
                conf.get(PREFIX + "device", "auto"),
                bytes(conf, "session-cache-size", "1GB"),
                Integer.parseInt(conf.get(PREFIX + "intra-op-threads", "1")),
                evaluator(conf.get(PREFIX + "evaluator", "auto")),
                millis(conf, "change-delay", "1s"),
                option(conf, "s3.endpoint"),
                option(conf, "s3.region"),
                Boolean.parseBoolean(conf.get(PREFIX + "s3.path-style-access", "false")),
                option(conf, "s3.aws-access-key"),
                option(conf, "s3.aws-secret-key"),
                conf.get(PREFIX + "s3.conditional-writes", "AUTO").toUpperCase(Locale.ROOT).replace('-', '_'),
                millis(conf, "s3.request-timeout", "30s"),
                option(conf, "register-model.allowed-locations"),
                bytes(conf, "max-model-file-size", "2GB"),
                positive(conf, "max-concurrent-loads", InferenceConfig.DEFAULT_MAX_CONCURRENT_LOADS),
                millis(conf, "max-call-time", "5m"));
    }

    ModelStoreConfig storeConfig()
    {
        S3Options s3 = new S3Options(
                Optional.ofNullable(s3Endpoint),
                Optional.ofNullable(s3Region),
                s3PathStyleAccess,
                Optional.ofNullable(s3AccessKey),
                Optional.ofNullable(s3SecretKey),
                S3Options.ConditionalWrites.valueOf(s3ConditionalWrites),
                Duration.ofMillis(s3RequestTimeoutMillis));
        RegistrationPolicy registration = RegistrationPolicy.fromSettings(
                allowedLocations,
                PREFIX + "register-model.allowed-locations",
                maxModelFileBytes,
                PREFIX + "max-model-file-size");
        return new ModelStoreConfig(modelStore, s3, Optional.ofNullable(modelCacheDirectory).map(Path::of), modelCacheBytes, registration, Duration.ofMillis(changeDelayMillis));
    }

    InferenceConfig inferenceConfig()
    {
        return new InferenceConfig(DeviceSpec.parse(device), sessionCacheBytes, intraOpThreads, EvaluatorPolicy.parse(evaluator), maxConcurrentLoads, Duration.ofMillis(maxCallTimeMillis));
    }

    @Override
    public String toString()
    {
        // never the secret
        return format("OnyxSparkConfig[modelStore=%s, device=%s]", modelStore, device);
    }

    private interface Settings
    {
        String get(String key, String defaultValue);
    }

    private static String evaluator(String value)
    {
        try {
            return EvaluatorPolicy.parse(value).displayName();
        }
        catch (IllegalArgumentException e) {
            throw new OnyxException(INVALID_ARGUMENT, "spark.onyx.evaluator must be auto, compiled or onnxruntime, not: " + value);
        }
    }

    private static int positive(Settings conf, String name, int defaultValue)
    {
        String text = conf.get(PREFIX + name, Integer.toString(defaultValue)).strip();
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // the message below
        }
        throw new OnyxException(INVALID_ARGUMENT, format("%s%s=%s is invalid: expected a whole number from 1", PREFIX, name, text));
    }

    private static String option(Settings conf, String name)
    {
        String value = conf.get(PREFIX + name, "");
        return value.isBlank() ? null : value;
    }

    /**
     * Sizes as the Trino properties write them: {@code 512MB}, {@code 2GB}, {@code 1024B}.
     */
    private static long bytes(Settings conf, String name, String defaultValue)
    {
        String text = conf.get(PREFIX + name, defaultValue).strip().toUpperCase(Locale.ROOT);
        String[] units = {"TB", "GB", "MB", "KB", "B"};
        long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1};
        for (int i = 0; i < units.length; i++) {
            if (text.endsWith(units[i])) {
                try {
                    return Math.round(Double.parseDouble(text.substring(0, text.length() - units[i].length()).strip()) * factors[i]);
                }
                catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new OnyxException(INVALID_ARGUMENT, format("%s%s=%s is not a size: write it as 512MB or 2GB", PREFIX, name, text));
    }

    private static long millis(Settings conf, String name, String defaultValue)
    {
        String text = conf.get(PREFIX + name, defaultValue).strip().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Long.parseLong(text.substring(0, text.length() - 2).strip());
            }
            if (text.endsWith("s")) {
                return Math.round(Double.parseDouble(text.substring(0, text.length() - 1).strip()) * 1000);
            }
            if (text.endsWith("m")) {
                return Math.round(Double.parseDouble(text.substring(0, text.length() - 1).strip()) * 60_000);
            }
        }
        catch (NumberFormatException e) {
            // the message below
        }
        throw new OnyxException(INVALID_ARGUMENT, format("%s%s=%s is not a duration: write it as 500ms, 1s or 2m", PREFIX, name, text));
    }
}
