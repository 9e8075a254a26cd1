package io.onyxml.spark;

import io.onyxml.store.access.ModelAccess;
import io.onyxml.store.access.ModelAccessRules;
import io.onyxml.store.access.ModelPrincipal;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.onyxml.spark.OnyxSparkConfig.PREFIX;

/**
 * What the application's user may do with models: the rules file {@code spark.onyx.security.rules-file} (the same
 * file as a Trino catalog's {@code onyx.security.rules-file}), applied to the Spark user
 * ({@code SparkContext.sparkUser()}) and its groups as Spark's ACLs see them ({@link SparkUserGroups}), on the driver
 * when a query or call is planned; the file is read again when it changes. Spark has no roles: rules that name a role
 * apply to no Spark user. Without the setting, the user may do everything.
 */
public final class SparkModelAccess
{
    static final String RULES_FILE = PREFIX + "security.rules-file";

    // each predict call of a query is checked on its own: the file is parsed once per change, not per check
    private static final Map<Path, ReadRules> READ = new ConcurrentHashMap<>();

    private SparkModelAccess() {}

    public static ModelAccess of(SparkSession spark)
    {
        String file = spark.conf().get(RULES_FILE, "");
        ModelAccessRules rules = file.isBlank() ? ModelAccessRules.ALLOW_ALL : rules(Path.of(file));
        if (rules == ModelAccessRules.ALLOW_ALL) {
            return new ModelAccess(rules, ModelPrincipal.ofUser(spark.sparkContext().sparkUser()));
        }
        String user = spark.sparkContext().sparkUser();
        return new ModelAccess(rules, new ModelPrincipal(user, SparkUserGroups.of(spark, user), Set.of()));
    }

    private static ModelAccessRules rules(Path file)
    {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        }
        catch (IOException e) {
            // reading says why the file cannot be read
            return ModelAccessRules.read(file);
        }
        ReadRules read = READ.get(file);
        if (read == null || !read.modified().equals(modified)) {
            read = new ReadRules(modified, ModelAccessRules.read(file));
            READ.put(file, read);
        }
        return read.rules();
    }

    private record ReadRules(FileTime modified, ModelAccessRules rules) {}
}
