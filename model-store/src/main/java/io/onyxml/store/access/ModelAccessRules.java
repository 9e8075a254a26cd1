package io.onyxml.store.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Who may read, add versions to and manage which models, in the JSON style of Trino's file-based access rules:
 * <pre>{@code
 * {"models": [
 *     {"group": "data-science", "privileges": ["READ", "CREATE", "MANAGE"]},
 *     {"user": "etl", "model": "churn.*", "privileges": ["READ", "CREATE"]},
 *     {"role": "analyst", "privileges": ["READ"]}
 * ]}
 * }</pre>
 * The first rule that applies to the user and the model decides; a user no rule applies to may do nothing with the
 * model. Without a rules file ({@link #ALLOW_ALL}) everyone may do everything.
 */
public final class ModelAccessRules
{
    public static final ModelAccessRules ALLOW_ALL = new ModelAccessRules(Optional.empty());

    // an operator's file, read once: large enough for thousands of rules, small enough to never matter
    private static final int MAX_FILE_BYTES = 1 << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> RULE_FIELDS = ImmutableSet.of("user", "group", "role", "model", "privileges");

    private final Optional<List<ModelAccessRule>> rules;

    private ModelAccessRules(Optional<List<ModelAccessRule>> rules)
    {
        this.rules = requireNonNull(rules, "rules is null").map(ImmutableList::copyOf);
    }

    public static ModelAccessRules of(List<ModelAccessRule> rules)
    {
        return new ModelAccessRules(Optional.of(rules));
    }

    /**
     * The rules of a file; a file that cannot be read or is not valid fails with a message that says where.
     */
    public static ModelAccessRules read(Path file)
    {
        byte[] json;
        try (InputStream input = Files.newInputStream(file)) {
            json = input.readNBytes(MAX_FILE_BYTES + 1);
        }
        catch (IOException e) {
            throw invalid(file.toString(), "it cannot be read: " + e.getMessage());
        }
        if (json.length > MAX_FILE_BYTES) {
            throw invalid(file.toString(), "it is larger than 1 MiB");
        }
        return parse(json, file.toString());
    }

    public static ModelAccessRules parse(byte[] json, String source)
    {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        }
        catch (JsonProcessingException e) {
            throw invalid(source, "it is not valid JSON: " + e.getOriginalMessage());
        }
        catch (IOException e) {
            throw invalid(source, e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("models").isArray()) {
            throw invalid(source, "it must be a JSON object with an array \"models\" of rules");
        }
        ImmutableList.Builder<ModelAccessRule> rules = ImmutableList.builder();
        int number = 0;
        for (JsonNode rule : root.get("models")) {
            number++;
            rules.add(rule(rule, source, number));
        }
        return of(rules.build());
    }

    /**
     * Whether access is restricted by rules at all.
     */
    public boolean restricted()
    {
        return rules.isPresent();
    }

    public boolean allows(ModelPrincipal principal, String model, ModelPrivilege privilege)
    {
        if (rules.isEmpty()) {
            return true;
        }
        return rules.get().stream()
                .filter(rule -> rule.appliesTo(principal, model))
                .findFirst()
                .map(rule -> rule.privileges().contains(privilege))
                .orElse(false);
    }

    /**
     * Fails unless the principal holds the privilege on the model. The check needs only the model's name: it says
     * the same whether the model exists or not, so a denied user learns nothing about it.
     */
    public void check(ModelPrincipal principal, String model, ModelPrivilege privilege)
    {
        if (allows(principal, model, privilege)) {
            return;
        }
        String message = switch (privilege) {
            case READ -> format("Cannot use model '%s': not found or access denied", model);
            case CREATE -> format("Cannot add versions to model '%s'", model);
            case MANAGE -> format("Cannot manage model '%s'", model);
        };
        throw new OnyxException(OnyxErrorCode.MODEL_ACCESS_DENIED, message);
    }

    private static ModelAccessRule rule(JsonNode rule, String source, int number)
    {
        String where = "rule " + number;
        if (!rule.isObject()) {
            throw invalid(source, where + " is not a JSON object");
        }
        for (Iterator<String> fields = rule.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!RULE_FIELDS.contains(field)) {
                throw invalid(source, format("%s has the unknown field \"%s\"; a rule has user, group, role, model and privileges", where, field));
            }
        }
        JsonNode privileges = rule.get("privileges");
        if (privileges == null || !privileges.isArray()) {
            throw invalid(source, where + " needs \"privileges\": a list of READ, CREATE and MANAGE (empty to deny)");
        }
        ImmutableSet.Builder<ModelPrivilege> granted = ImmutableSet.builder();
        for (JsonNode privilege : privileges) {
            granted.add(privilege(privilege, source, where));
        }
        return new ModelAccessRule(
                pattern(rule, "user", source, where),
                pattern(rule, "group", source, where),
                pattern(rule, "role", source, where),
                pattern(rule, "model", source, where).orElse(Pattern.compile(".*")),
                granted.build());
    }

    private static ModelPrivilege privilege(JsonNode privilege, String source, String where)
    {
        if (privilege.isTextual()) {
            for (ModelPrivilege value : ModelPrivilege.values()) {
                if (value.name().equals(privilege.asText().toUpperCase(Locale.ROOT))) {
                    return value;
                }
            }
        }
        throw invalid(source, format("%s has the unknown privilege %s; use READ, CREATE or MANAGE", where, privilege));
    }

    private static Optional<Pattern> pattern(JsonNode rule, String field, String source, String where)
    {
        JsonNode value = rule.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(source, format("%s: \"%s\" must be a text (a regular expression)", where, field));
        }
        try {
            return Optional.of(Pattern.compile(value.asText()));
        }
        catch (PatternSyntaxException e) {
            throw invalid(source, format("%s: \"%s\" is not a valid regular expression: %s", where, field, e.getDescription()));
        }
    }

    private static OnyxException invalid(String source, String why)
    {
        return new OnyxException(OnyxErrorCode.INVALID_ARGUMENT, format("The model access rules file %s is not valid: %s", source, why));
    }
}
