package io.onyxml.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line words split into positional arguments, {@code --name value} options and {@code --flag}s.
 */
final class Arguments
{
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    Arguments(String[] words, Set<String> flagNames)
    {
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (!word.startsWith("--") || word.equals("--")) {
                positional.add(word);
                continue;
            }
            String name = word.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                options.put(name.substring(0, equals), name.substring(equals + 1));
            }
            else if (flagNames.contains(name)) {
                flags.add(name);
            }
            else if (i + 1 < words.length) {
                options.put(name, words[++i]);
            }
            else {
                throw new UsageException("option --" + name + " needs a value");
            }
        }
    }

    String positional(int index, String what)
    {
        if (index >= positional.size()) {
            throw new UsageException("missing " + what);
        }
        return positional.get(index);
    }

    List<String> positional()
    {
        return positional;
    }

    Optional<String> option(String name)
    {
        return Optional.ofNullable(options.get(name));
    }

    boolean flag(String name)
    {
        return flags.contains(name);
    }

    static final class UsageException
            extends RuntimeException
    {
        UsageException(String message)
        {
            super(message);
        }
    }
}
