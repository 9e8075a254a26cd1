package io.onyxml.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onyxml.store.blob.BlobStore;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import static io.onyxml.store.OnyxErrorCode.CONCURRENT_MODIFICATION;
import static java.util.Objects.requireNonNull;

/**
 * One of a fixed number of slots that every node and engine using a store shares: a lease object in the store,
 * created only if absent, that expires unless its holder renews it. It limits work across a cluster without a
 * service to run.
 * <pre>
 * leases/{pool}/slot-{k}.json                   the holder of slot k and when its lease expires
 * leases/{pool}/slot-{k}.takeover-{holder}      made once, by whoever takes slot k over from an expired holder
 * </pre>
 * A slot whose lease expired (its holder died or stalled) is taken over by the one writer that creates its takeover
 * marker. A holder that stalled past its lease finds on renewal that it lost the slot, and must stop.
 * Expiry compares the lease's time with the reader's clock: nodes' clocks must agree to well within a lease.
 */
public final class StoreLease
        implements AutoCloseable
{
    static final String PREFIX = "leases/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore blobs;
    private final Clock clock;
    private final String key;
    private final Optional<String> takeoverKey;
    private final String holder;
    private final String owner;
    private final Duration duration;
    private boolean closed;

    private StoreLease(BlobStore blobs, Clock clock, String key, Optional<String> takeoverKey, String holder, String owner, Duration duration)
    {
        this.blobs = blobs;
        this.clock = clock;
        this.key = key;
        this.takeoverKey = takeoverKey;
        this.holder = holder;
        this.owner = owner;
        this.duration = duration;
    }

    /**
     * Takes a free or expired slot of {@code pool}, trying slots {@code 0} to {@code slots - 1}, or none when every
     * one is held.
     *
     * @param owner who holds it, for people reading the store (a query id, a node, an application)
     */
    static Optional<StoreLease> tryTake(BlobStore blobs, Clock clock, String pool, int slots, String owner, Duration duration)
    {
        String holder = UUID.randomUUID().toString();
        byte[] record = record(holder, owner, clock.instant().plus(duration));
        for (int slot = 0; slot < slots; slot++) {
            String key = PREFIX + pool + "/slot-" + slot + ".json";
            if (create(blobs, key, record)) {
                return Optional.of(new StoreLease(blobs, clock, key, Optional.empty(), holder, owner, duration));
            }
            Optional<Record> current = read(blobs, key);
            if (current.isEmpty()) {
                // released since: try once more, then move on
                if (create(blobs, key, record)) {
                    return Optional.of(new StoreLease(blobs, clock, key, Optional.empty(), holder, owner, duration));
                }
                continue;
            }
            if (current.get().expired(clock.instant())) {
                String takeover = PREFIX + pool + "/slot-" + slot + ".takeover-" + current.get().holder();
                if (create(blobs, takeover, new byte[0])) {
                    blobs.write(key, record);
                    return Optional.of(new StoreLease(blobs, clock, key, Optional.of(takeover), holder, owner, duration));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean create(BlobStore blobs, String key, byte[] record)
    {
        try {
            return blobs.createIfAbsent(key, record);
        }
        catch (OnyxException e) {
            // S3 without conditional writes: other writers kept claiming the slot, so it is not ours
            if (e.errorCode() == CONCURRENT_MODIFICATION) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Extends the lease by its duration from now; false when the slot is no longer this holder's (the lease expired
     * and another took the slot over, or it was removed).
     */
    public synchronized boolean renew()
    {
        if (closed || !held()) {
            return false;
        }
        blobs.write(key, record(holder, owner, clock.instant().plus(duration)));
        return true;
    }

    /**
     * Whether the store still names this holder as the slot's.
     */
    public synchronized boolean held()
    {
        return !closed && read(blobs, key).map(record -> record.holder().equals(holder)).orElse(false);
    }

    /**
     * The slot's key in the store, for messages and tests.
     */
    public String slot()
    {
        return key;
    }

    public Duration duration()
    {
        return duration;
    }

    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        if (held()) {
            blobs.delete(key);
        }
        takeoverKey.ifPresent(blobs::delete);
        closed = true;
    }

    private static byte[] record(String holder, String owner, Instant expires)
    {
        try {
            return JSON.writeValueAsBytes(new Record(holder, owner, expires.toEpochMilli()));
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Record> read(BlobStore blobs, String key)
    {
        return blobs.read(key).map(bytes -> {
            try {
                return JSON.readValue(bytes, Record.class);
            }
            catch (IOException e) {
                // an unreadable lease (a partial write, a person's edit) holds nothing: treat it as expired
                return new Record("unreadable-" + Integer.toHexString(Arrays.hashCode(bytes)), "", 0);
            }
        });
    }

    private record Record(@JsonProperty("holder") String holder, @JsonProperty("owner") String owner, @JsonProperty("expires") long expires)
    {
        Record
        {
            requireNonNull(holder, "holder is null");
        }

        boolean expired(Instant now)
        {
            return expires < now.toEpochMilli();
        }
    }
}
