package io.onyxml.store;

import java.util.Optional;
import java.util.OptionalInt;

import static io.onyxml.store.ModelNames.checkAlias;
import static io.onyxml.store.ModelNames.checkModelName;
import static io.onyxml.store.ModelNames.printable;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_REFERENCE;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * A reference to a model version in text form: {@code name} (the latest version), {@code name/3} (version 3)
 * or {@code name@production} (the version an alias points at).
 */
public record ModelReference(String name, OptionalInt version, Optional<String> alias)
{
    private static final String FORMS = "'name' (latest version), 'name/3' (version 3) or 'name@alias'";

    public ModelReference
    {
        checkModelName(name);
        requireNonNull(version, "version is null");
        requireNonNull(alias, "alias is null");
        if (version.isPresent() && alias.isPresent()) {
            throw new IllegalArgumentException("a reference has a version or an alias, not both");
        }
        version.ifPresent(value -> ModelNames.checkVersion(name, value));
        alias.ifPresent(ModelNames::checkAlias);
    }

    public static ModelReference latest(String name)
    {
        return new ModelReference(name, OptionalInt.empty(), Optional.empty());
    }

    public static ModelReference version(String name, int version)
    {
        return new ModelReference(name, OptionalInt.of(version), Optional.empty());
    }

    public static ModelReference alias(String name, String alias)
    {
        if (alias.equals(ModelNames.LATEST)) {
            return latest(name);
        }
        return new ModelReference(name, OptionalInt.empty(), Optional.of(checkAlias(alias)));
    }

    public static ModelReference parse(String text)
    {
        if (text == null || text.isBlank()) {
            throw new OnyxException(INVALID_MODEL_REFERENCE, "Model reference is empty: use " + FORMS);
        }
        if (!text.strip().equals(text)) {
            throw invalid(text, "it has spaces around it");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw invalid(text, "it holds control characters");
        }
        String reference = text;
        int slash = reference.indexOf('/');
        int at = reference.indexOf('@');
        try {
            if (slash >= 0 && at >= 0) {
                throw invalid(text, "it has both a version and an alias");
            }
            if (slash >= 0) {
                String versionText = reference.substring(slash + 1);
                if (!versionText.matches("[0-9]{1,9}")) {
                    throw invalid(text, format("'%s' is not a version number", printable(versionText)));
                }
                return version(reference.substring(0, slash), Integer.parseInt(versionText));
            }
            if (at >= 0) {
                return alias(reference.substring(0, at), reference.substring(at + 1));
            }
            return latest(reference);
        }
        catch (OnyxException e) {
            if (e.errorCode() == INVALID_MODEL_REFERENCE) {
                throw e;
            }
            throw new OnyxException(INVALID_MODEL_REFERENCE, format("Invalid model reference '%s': %s", printable(text), e.getMessage()), e);
        }
    }

    private static OnyxException invalid(String text, String why)
    {
        return new OnyxException(INVALID_MODEL_REFERENCE, format("Invalid model reference '%s': %s; use %s", printable(text), why, FORMS));
    }

    public boolean isLatest()
    {
        return version.isEmpty() && alias.isEmpty();
    }

    @Override
    public String toString()
    {
        if (version.isPresent()) {
            return name + "/" + version.getAsInt();
        }
        return alias.map(value -> name + "@" + value).orElse(name);
    }
}
