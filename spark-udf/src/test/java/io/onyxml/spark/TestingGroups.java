package io.onyxml.spark;

import org.apache.spark.security.GroupMappingServiceProvider;
import scala.collection.immutable.Set;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A {@code spark.user.groups.mapping} that puts every user in the group {@code scientists}.
 */
public class TestingGroups
        implements GroupMappingServiceProvider
{
    @Override
    public Set<String> getGroups(String userName)
    {
        return CollectionConverters.asScala(java.util.Set.of("scientists")).toSet();
    }
}
