package io.onyxml.spark;

import io.onyxml.store.access.ModelAccess;
import io.onyxml.store.access.ModelAccessRules;
import io.onyxml.store.access.ModelPrincipal;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

import static io.onyxml.spark.OnyxSparkConfig.PREFIX;

/**
 * What the application's user may do with models: the rules file {@code spark.onyx.security.rules-file} (the same
 * file as a Trino catalog's {@code onyx.security.rules-file}), read on the driver when a query or call is planned,
 * applied to the Spark user ({@code SparkContext.sparkUser()}). Without the setting, the user may do everything.
 */
public final class SparkModelAccess
{
    static final String RULES_FILE = PREFIX + "security.rules-file";

    private SparkModelAccess() {}

    public static ModelAccess of(SparkSession spark)
    {
        String file = spark.conf().get(RULES_FILE, "");
        ModelAccessRules rules = file.isBlank() ? ModelAccessRules.ALLOW_ALL : ModelAccessRules.read(Path.of(file));
        return new ModelAccess(rules, ModelPrincipal.ofUser(spark.sparkContext().sparkUser()));
    }
}
