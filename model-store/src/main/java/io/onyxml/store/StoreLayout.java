package io.onyxml.store;

import java.util.OptionalInt;
import java.util.UUID;

import static java.lang.String.format;

/**
 * Where things live in a store; see the module README for the layout and why it is safe for concurrent writers.
 * <pre>
 * models/{name}/versions/00000003.json      manifest of version 3, created once (the commit point)
 * models/{name}/versions/00000003.deleted   tombstone: version 3 was deleted, its number is never reused
 * models/{name}/files/{uuid}.onnx           the ONNX file, uploaded before its manifest
 * models/{name}/aliases/{alias}.json        the version an alias points at
 * </pre>
 */
final class StoreLayout
{
    static final String MODELS = "models/";
    private static final String MANIFEST_SUFFIX = ".json";
    private static final String TOMBSTONE_SUFFIX = ".deleted";
    private static final String VERSION_DIGITS = "%08d";
    private static final String FILES = "files/";
    private static final String VERSIONS = "versions/";
    /**
     * The part of a claim's key after the key it claims; {@code S3BlobStore} writes claims.
     */
    static final String CLAIM_INFIX = ".claim-";

    private StoreLayout() {}

    static String modelFolder(String name)
    {
        return MODELS + name + "/";
    }

    static String versionsPrefix(String name)
    {
        return modelFolder(name) + VERSIONS;
    }

    static String manifestKey(String name, int version)
    {
        return versionsPrefix(name) + format(VERSION_DIGITS, version) + MANIFEST_SUFFIX;
    }

    static String tombstoneKey(String name, int version)
    {
        return versionsPrefix(name) + format(VERSION_DIGITS, version) + TOMBSTONE_SUFFIX;
    }

    static String aliasesPrefix(String name)
    {
        return modelFolder(name) + "aliases/";
    }

    static String aliasKey(String name, String alias)
    {
        return aliasesPrefix(name) + alias + MANIFEST_SUFFIX;
    }

    /**
     * A fresh name for an ONNX file, relative to the model folder; unique per upload so that writers never overwrite
     * each other's files.
     */
    static String newModelFile()
    {
        return FILES + UUID.randomUUID() + ".onnx";
    }

    static String modelFileKey(String name, String modelFile)
    {
        return modelFolder(name) + modelFile;
    }

    /**
     * Whether a key relative to a model folder is an ONNX file: {@code files/{uuid}.onnx}.
     */
    static boolean isModelFile(String relativeKey)
    {
        return relativeKey.startsWith(FILES) && relativeKey.indexOf('/', FILES.length()) < 0;
    }

    /**
     * Whether a key relative to a model folder lies in its {@code versions/} folder.
     */
    static boolean isVersionRecord(String relativeKey)
    {
        return relativeKey.startsWith(VERSIONS) && relativeKey.indexOf('/', VERSIONS.length()) < 0;
    }

    /**
     * Whether a key relative to a model folder is a claim of a writer creating a manifest (S3 without conditional
     * writes): {@code versions/00000003.json.claim-{uuid}}.
     */
    static boolean isClaim(String relativeKey)
    {
        return relativeKey.startsWith(VERSIONS) && relativeKey.contains(CLAIM_INFIX);
    }

    static OptionalInt manifestVersion(String fileName)
    {
        return versionOf(fileName, MANIFEST_SUFFIX);
    }

    static OptionalInt tombstoneVersion(String fileName)
    {
        return versionOf(fileName, TOMBSTONE_SUFFIX);
    }

    static String aliasName(String fileName)
    {
        return fileName.endsWith(MANIFEST_SUFFIX) ? fileName.substring(0, fileName.length() - MANIFEST_SUFFIX.length()) : fileName;
    }

    private static OptionalInt versionOf(String fileName, String suffix)
    {
        if (!fileName.endsWith(suffix)) {
            return OptionalInt.empty();
        }
        String digits = fileName.substring(0, fileName.length() - suffix.length());
        if (digits.length() != 8 || !digits.chars().allMatch(Character::isDigit)) {
            return OptionalInt.empty();
        }
        int version = Integer.parseInt(digits);
        return version >= 1 ? OptionalInt.of(version) : OptionalInt.empty();
    }
}
