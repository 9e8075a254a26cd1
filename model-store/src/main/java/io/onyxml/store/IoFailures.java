package io.onyxml.store;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * The reason of an I/O failure as a SQL user may read it: the system's reason ("No space left on device") or the
 * kind of failure, never the message, which for files is the path of the machine.
 */
public final class IoFailures
{
    private IoFailures() {}

    public static String reason(IOException failure)
    {
        if (failure instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return failure.getClass().getSimpleName();
    }
}
