package io.onyxml.inference;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ONNX Runtime's error text into something a SQL user may see: without the error-code prefix, the source file,
 * line and C++ function of the runtime, and any absolute path of the machine.
 */
final class OrtMessages
{
    private static final int MAX_LENGTH = 600;
    // ONNX Runtime copies names from the model into its messages: only this much is ever looked at
    private static final int MAX_INPUT = 4096;
    private static final Pattern CODE_PREFIX = Pattern.compile("^Error code - ORT_[A-Z_]+ - message: ");
    // possessive quantifiers and a boundary before the match keep the scan linear on long words
    private static final Pattern SOURCE_LOCATION = Pattern.compile("(?<![\\w.+\\-/\\\\])(?:[A-Za-z]:)?+[\\\\/]?+(?:[\\w.+\\-]++[\\\\/])++[\\w.+\\-]*?\\.(?:h|hpp|cc|cpp|c|cu):\\d++\\s*+");
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.:/\\\\])(?:/(?:[\\w.+@%\\-]++/)*+[\\w.+@%\\-]*+|[A-Za-z]:\\\\(?:[\\w.+@%\\-]++\\\\)*+[\\w.+@%\\-]*+)");

    private OrtMessages() {}

    static String clean(String message)
    {
        if (message == null || message.isBlank()) {
            return "no reason given";
        }
        String bounded = message.length() > MAX_INPUT ? message.substring(0, MAX_INPUT) : message;
        String text = CODE_PREFIX.matcher(bounded.strip()).replaceFirst("");
        StringBuilder cleaned = new StringBuilder();
        Matcher location = SOURCE_LOCATION.matcher(text);
        int position = 0;
        while (location.find(position)) {
            cleaned.append(text, position, location.start());
            position = skipFunctionSignature(text, location.end());
        }
        cleaned.append(text.substring(position));
        String result = ABSOLUTE_PATH.matcher(cleaned.toString()).replaceAll("<path>")
                .replaceAll("\\s+", " ")
                .strip();
        return result.length() > MAX_LENGTH ? result.substring(0, MAX_LENGTH) + "..." : result;
    }

    /**
     * After a source location ONNX Runtime names the C++ function that failed, e.g.
     * {@code void onnxruntime::Graph::Resolve(const Options&)}; returns where the text after it starts.
     */
    private static int skipFunctionSignature(String text, int start)
    {
        int open = text.indexOf('(', start);
        int scope = text.indexOf("::", start);
        int sentence = text.indexOf(". ", start);
        if (open < 0 || scope < 0 || scope > open || (sentence >= 0 && sentence < scope)) {
            return start;
        }
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            }
            else if (c == ')' && --depth == 0) {
                int end = i + 1;
                while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                return end;
            }
        }
        return start;
    }
}
