package io.onyxml.store;

import java.util.regex.Pattern;

import static io.onyxml.store.OnyxErrorCode.INVALID_ALIAS;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_NAME;
import static java.lang.String.format;

/**
 * The rules for model and alias names. Names become object-store keys and directory names, so they are
 * restricted to a portable, case-insensitive-safe set of characters.
 */
public final class ModelNames
{
    public static final int MAX_MODEL_NAME_LENGTH = 128;
    public static final int MAX_ALIAS_LENGTH = 64;
    public static final String LATEST = "latest";

    public static final String MODEL_NAME_RULE = "1 to 128 characters from a-z, 0-9, '_', '-', '.' and '=', starting with a letter or digit, without '..'";
    public static final String ALIAS_RULE = "1 to 64 characters from a-z, 0-9, '_' and '-', starting with a letter";

    private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_.=-]*");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]*");

    private ModelNames() {}

    public static String checkModelName(String name)
    {
        if (name == null) {
            throw new OnyxException(INVALID_MODEL_NAME, "Model name is null: use " + MODEL_NAME_RULE);
        }
        if (name.length() > MAX_MODEL_NAME_LENGTH || !MODEL_NAME.matcher(name).matches() || name.contains("..")) {
            throw new OnyxException(INVALID_MODEL_NAME, format("Invalid model name '%s': use %s", printable(name), MODEL_NAME_RULE));
        }
        return name;
    }

    /**
     * Checks an alias a user wants to set; {@value #LATEST} is kept by the store and cannot be set.
     */
    public static String checkUserAlias(String alias)
    {
        checkAlias(alias);
        if (alias.equals(LATEST)) {
            throw new OnyxException(INVALID_ALIAS, "Alias 'latest' is maintained by the model store and always points at the newest version; choose another alias name");
        }
        return alias;
    }

    public static String checkAlias(String alias)
    {
        if (alias == null) {
            throw new OnyxException(INVALID_ALIAS, "Alias is null: use " + ALIAS_RULE);
        }
        if (alias.length() > MAX_ALIAS_LENGTH || !ALIAS.matcher(alias).matches()) {
            throw new OnyxException(INVALID_ALIAS, format("Invalid alias '%s': use %s", printable(alias), ALIAS_RULE));
        }
        return alias;
    }

    public static int checkVersion(String modelName, int version)
    {
        if (version < 1) {
            throw new OnyxException(OnyxErrorCode.INVALID_ARGUMENT, format("Invalid version %s of model '%s': versions are numbered from 1", version, modelName));
        }
        return version;
    }

    /**
     * Shows control characters as escapes and cuts long input, so that an error message stays readable.
     */
    public static String printable(String value)
    {
        StringBuilder builder = new StringBuilder();
        int limit = Math.min(value.length(), 160);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                builder.append(format("\\u%04x", (int) c));
            }
            else {
                builder.append(c);
            }
        }
        if (value.length() > limit) {
            builder.append(format("... (%s characters)", value.length()));
        }
        return builder.toString();
    }
}
