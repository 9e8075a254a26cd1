package io.onyxml.spark;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.onyxml.store.OnyxException;
import org.apache.spark.security.GroupMappingServiceProvider;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * The groups of the Spark user, as Spark's own ACLs see them: the {@code spark.user.groups.mapping} provider (by
 * default {@code id -Gn} of the user on the driver). Asked once per user and provider every five minutes, since
 * each predict call of a query is checked.
 */
final class SparkUserGroups
{
    static final String MAPPING = "spark.user.groups.mapping";
    private static final String DEFAULT_MAPPING = "org.apache.spark.security.ShellBasedGroupsMappingProvider";
    private static final Cache<String, Set<String>> GROUPS = CacheBuilder.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(5))
            .maximumSize(1_000)
            .build();

    private SparkUserGroups() {}

    static Set<String> of(SparkSession spark, String user)
    {
        String mapping = spark.sparkContext().getConf().get(MAPPING, DEFAULT_MAPPING);
        try {
            return GROUPS.get(mapping + "\u0000" + user, () -> groups(mapping, user));
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof OnyxException onyx ? onyx : new IllegalStateException(e.getCause());
        }
    }

    private static Set<String> groups(String mapping, String user)
    {
        GroupMappingServiceProvider provider;
        try {
            provider = (GroupMappingServiceProvider) Class.forName(mapping, true, Thread.currentThread().getContextClassLoader()).getConstructor().newInstance();
        }
        catch (ReflectiveOperationException | ClassCastException e) {
            throw new OnyxException(INVALID_ARGUMENT, format("%s=%s is not a group mapping Onyx can use: %s", MAPPING, mapping, e));
        }
        return CollectionConverters.asJava(provider.getGroups(user)).stream().collect(toImmutableSet());
    }
}
