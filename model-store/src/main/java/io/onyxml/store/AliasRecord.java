package io.onyxml.store;

import com.google.common.collect.ImmutableList;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * What an alias points at now and, newest first, what it pointed at before, so that a query that started before the
 * alias moved keeps resolving it to the version it had then (see {@link ModelStore#resolve(ModelReference, Instant)}).
 * Earlier positions are kept for {@link #KEPT_FOR} after the alias moved on from them, and at most
 * {@value #KEPT_ENTRIES} of them, which bounds the record to a few tens of kilobytes.
 */
record AliasRecord(String alias, List<Entry> entries)
{
    /**
     * The version of an entry that marks the alias as dropped from its {@code since} on.
     */
    static final int DROPPED = 0;
    static final int KEPT_ENTRIES = 1000;
    static final Duration KEPT_FOR = Duration.ofDays(1);

    AliasRecord
    {
        requireNonNull(alias, "alias is null");
        entries = ImmutableList.copyOf(requireNonNull(entries, "entries is null"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an alias record needs at least one entry");
        }
    }

    /**
     * @param version the version the alias pointed at from {@code since} on, or {@link #DROPPED}
     */
    record Entry(int version, Instant since)
    {
        Entry
        {
            requireNonNull(since, "since is null");
        }
    }

    static AliasRecord first(String alias, int version, Instant since)
    {
        return new AliasRecord(alias, ImmutableList.of(new Entry(version, since)));
    }

    /**
     * The record after the alias is pointed at {@code version} at {@code since}.
     */
    AliasRecord movedTo(int version, Instant since)
    {
        ImmutableList.Builder<Entry> moved = ImmutableList.builder();
        moved.add(new Entry(version, since));
        Instant successorSince = since;
        for (Entry entry : entries.subList(0, Math.min(entries.size(), KEPT_ENTRIES - 1))) {
            // an entry is needed while a query that started during it may still run
            if (successorSince.isBefore(since.minus(KEPT_FOR))) {
                break;
            }
            moved.add(entry);
            successorSince = entry.since();
        }
        return new AliasRecord(alias, moved.build());
    }

    Entry current()
    {
        return entries.get(0);
    }

    /**
     * The entry in force at a given moment; empty when the alias was set only later. Its version may be
     * {@link #DROPPED}.
     */
    Optional<Entry> entryAt(Instant moment)
    {
        return entries.stream().filter(candidate -> !candidate.since().isAfter(moment)).findFirst();
    }

    /**
     * The version the alias pointed at, at a given moment; empty when it was set only later or was dropped then.
     */
    OptionalInt versionAt(Instant moment)
    {
        return entryAt(moment)
                .filter(entry -> entry.version() != DROPPED)
                .map(entry -> OptionalInt.of(entry.version()))
                .orElse(OptionalInt.empty());
    }
}
