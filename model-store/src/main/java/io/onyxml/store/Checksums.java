package io.onyxml.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of model files, as lower-case hex.
 */
public final class Checksums
{
    private Checksums() {}

    public static String sha256(ByteBuffer bytes)
    {
        MessageDigest digest = newDigest();
        digest.update(bytes.duplicate());
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(byte[] bytes)
    {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
