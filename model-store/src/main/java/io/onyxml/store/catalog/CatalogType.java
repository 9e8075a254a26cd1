package io.onyxml.store.catalog;

/**
 * The types of the catalog tables' columns, which each engine maps to its own, and the Java values their rows hold.
 */
public enum CatalogType
{
    /** {@code String} */
    TEXT,
    /** {@code Long} */
    BIGINT,
    /** {@code Boolean} */
    BOOLEAN,
    /** {@code Instant}, a timestamp with time zone in Trino, a timestamp in Spark */
    TIMESTAMP,
    /** {@code List<String>} */
    TEXT_ARRAY,
    /** {@code Map<String, Long>} */
    TEXT_TO_BIGINT_MAP,
}
