package io.onyxml.trino.procedure;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import com.google.inject.Provider;
import io.airlift.log.Logger;
import io.onyxml.store.OrphanFile;
import io.onyxml.store.access.ModelAccess;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.TrinoException;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.classloader.ThreadContextClassLoader;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.procedure.Procedure;

import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.List;

import static io.airlift.slice.Slices.utf8Slice;
import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.plugin.base.util.Procedures.checkProcedureArgument;
import static io.trino.spi.StandardErrorCode.INVALID_PROCEDURE_ARGUMENT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.lang.String.format;
import static java.lang.invoke.MethodHandles.lookup;
import static java.util.Objects.requireNonNull;

/**
 * {@code CALL system.remove_orphan_files([older_than => '1d'])}: deletes the files of the store that no existing
 * version names and that are older than the margin (default one day, at least one hour, so that registrations running
 * now keep their files): uploads of registrations that failed before their manifest was written, files of deleted
 * versions whose removal failed, claims and temporary files of writers that stopped. The margin is a duration in
 * Trino's configuration syntax ({@code '36h'}, {@code '7d'}), as in Iceberg's {@code retention_threshold}: Trino 476
 * procedures take no interval arguments. {@code CALL} returns no rows, so the files removed are listed in the server
 * log; {@code system.orphan_files} shows beforehand what a call would remove.
 */
public class RemoveOrphanFilesProcedure
        implements Provider<Procedure>
{
    private static final Logger LOG = Logger.get(RemoveOrphanFilesProcedure.class);
    private static final MethodHandle REMOVE_ORPHAN_FILES;

    static {
        try {
            REMOVE_ORPHAN_FILES = lookup().unreflect(RemoveOrphanFilesProcedure.class.getMethod("removeOrphanFiles", ConnectorSession.class, String.class));
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private final OnyxModels models;
    private final CatalogName catalogName;

    @Inject
    public RemoveOrphanFilesProcedure(OnyxModels models, CatalogName catalogName)
    {
        this.models = requireNonNull(models, "models is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
    }

    @Override
    public Procedure get()
    {
        return new Procedure(
                "system",
                "remove_orphan_files",
                ImmutableList.of(new Procedure.Argument("OLDER_THAN", VARCHAR, false, utf8Slice("1d"))),
                REMOVE_ORPHAN_FILES.bindTo(this));
    }

    public void removeOrphanFiles(ConnectorSession session, String olderThan)
    {
        checkProcedureArgument(olderThan != null, "older_than cannot be null");
        Duration age;
        try {
            age = Duration.ofMillis(io.airlift.units.Duration.valueOf(olderThan.strip()).toMillis());
        }
        catch (IllegalArgumentException e) {
            throw new TrinoException(INVALID_PROCEDURE_ARGUMENT, format("older_than must be a duration such as '36h' or '7d', got '%s'", olderThan));
        }
        // only the files of models the user may manage
        ModelAccess access = models.access(session);
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            List<OrphanFile> removed = translated(() -> models.store().removeOrphanFiles(age, name -> access.allows(name, MANAGE)));
            for (OrphanFile file : removed) {
                LOG.info("remove_orphan_files in catalog %s removed %s (%s bytes, last changed %s): %s", catalogName, file.key(), file.sizeBytes(), file.lastModified(), file.reason());
            }
            LOG.info("remove_orphan_files in catalog %s, run by %s with older_than %s: removed %s files, %s bytes",
                    catalogName, session.getUser(), age, removed.size(), removed.stream().mapToLong(OrphanFile::sizeBytes).sum());
        }
    }
}
