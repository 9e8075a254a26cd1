package io.onyxml.integration;

import io.trino.jdbc.TrinoResultSet;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC helpers shared by the tests that query a Trino server.
 */
final class Queries
{
    private Queries() {}

    interface Connector
    {
        Connection connect()
                throws SQLException;
    }

    /**
     * Waits until the coordinator lists this many active nodes (a worker appears there 10-24 s after it answers) and
     * schedules a query's tasks on all of them (the scheduler's view of the nodes follows a little later).
     */
    static void awaitActiveNodes(Connector coordinator, int count, Duration timeout)
            throws Exception
    {
        Polling.await("the cluster shows " + count + " active nodes running tasks", timeout, () -> {
            try (Connection connection = coordinator.connect(); Statement statement = connection.createStatement()) {
                return scalar(statement, "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'", Long.class) == count
                        && nodesThatRanTasks(statement, "SELECT count(*) FROM tpch.tiny.lineitem") == count;
            }
            catch (SQLException e) {
                // not ready yet
                return false;
            }
        });
    }

    /**
     * Runs a query and returns on how many nodes its tasks ran.
     */
    static long nodesThatRanTasks(Statement statement, String sql)
            throws SQLException
    {
        String queryId;
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                result.getObject(1);
            }
            queryId = result.unwrap(TrinoResultSet.class).getQueryId();
        }
        return scalar(statement, "SELECT count(DISTINCT node_id) FROM system.runtime.tasks WHERE query_id = '" + queryId + "'", Long.class);
    }

    /**
     * The value of a query that returns one row of one column.
     */
    static <T> T scalar(Statement statement, String sql, Class<T> type)
            throws SQLException
    {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            T value = result.getObject(1, type);
            assertThat(result.next()).isFalse();
            return value;
        }
    }
}
