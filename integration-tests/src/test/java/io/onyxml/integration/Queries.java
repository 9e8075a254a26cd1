package io.onyxml.integration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC helpers shared by the tests that query a {@link TrinoServer}.
 */
final class Queries
{
    private Queries() {}

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
