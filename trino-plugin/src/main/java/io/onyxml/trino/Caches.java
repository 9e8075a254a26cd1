package io.onyxml.trino;

import com.google.common.cache.Cache;
import com.google.common.util.concurrent.UncheckedExecutionException;

import java.util.function.Supplier;

import static com.google.common.base.Throwables.throwIfUnchecked;
import static io.trino.cache.CacheUtils.uncheckedCacheGet;

/**
 * Reads through a cache and lets the loader's own exception (a {@code TrinoException} with its message) reach the
 * caller, instead of Guava's wrapper.
 */
public final class Caches
{
    private Caches() {}

    public static <K, V> V get(Cache<K, V> cache, K key, Supplier<V> loader)
    {
        try {
            return uncheckedCacheGet(cache, key, loader);
        }
        catch (UncheckedExecutionException e) {
            throwIfUnchecked(e.getCause());
            throw e;
        }
    }
}
