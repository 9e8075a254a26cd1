package io.onyxml.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One run of the command line in the test's JVM: its exit status and what it printed.
 */
record CliRun(int status, String out, String err)
{
    static CliRun run(String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new OnyxCli(new PrintStream(out, true, UTF_8)).run(args, new PrintStream(err, true, UTF_8));
        return new CliRun(status, out.toString(UTF_8), err.toString(UTF_8));
    }
}
