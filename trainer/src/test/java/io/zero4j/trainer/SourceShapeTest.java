package io.zero4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The trainer stays readable in one sitting: no source file (main or test) over 300 lines, and no
 * method in the main sources over 60 lines, counted from its signature to its closing brace.
 */
class SourceShapeTest {
    static final int MAX_FILE_LINES = 300;
    static final int MAX_METHOD_LINES = 60;
    /** A method or constructor signature that opens its body on the same line. */
    static final Pattern SIGNATURE = Pattern.compile(
            "^\\s*(?:@\\w+\\s+)*(?:(?:public|private|protected|static|final|synchronized|default)\\s+)*"
                    + "(?:<[^>]+>\\s+)?[\\w.<>\\[\\], ?]*\\b\\w+\\s*\\([^;]*\\)\\s*(?:throws [\\w., ]+)?\\{\\s*$");
    static final Pattern NOT_A_METHOD = Pattern.compile("^\\s*(?:if|for|while|switch|catch|try|else|do|synchronized|return"
            + "|new|record|class|interface|enum)\\b|\\b(?:record|class|interface|enum|new)\\s+\\w+");

    static List<Path> sources(String set) throws IOException {
        Path root = Path.of("src", set, "java");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void noFileIsLongerThan300Lines() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (String set : List.of("main", "test")) {
            for (Path p : sources(set)) {
                long n = Files.readAllLines(p).size();
                if (n > MAX_FILE_LINES) {
                    long_.add(p + ": " + n + " lines");
                }
            }
        }
        assertEquals(List.of(), long_);
    }

    @Test
    void noMainMethodIsLongerThan60Lines() throws IOException {
        List<String> long_ = new ArrayList<>();
        int methods = 0;
        for (Path p : sources("main")) {
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!SIGNATURE.matcher(line).find() || NOT_A_METHOD.matcher(line).find()) {
                    continue;
                }
                methods++;
                int length = bodyLength(lines, i);
                if (length > MAX_METHOD_LINES) {
                    long_.add(p + ":" + (i + 1) + ": " + length + " lines: " + line.strip());
                }
            }
        }
        assertTrue(methods > 200, "the scan finds the methods (" + methods + ")");
        assertEquals(List.of(), long_);
    }

    @Test
    void theScanMeasuresAMethodFromSignatureToClosingBrace() {
        List<String> method = List.of("    int f(int x) {", "        if (x > 0) {", "            return 1;", "        }",
                "        return \"}\".length();", "    }", "    int g() {");
        assertTrue(SIGNATURE.matcher(method.get(0)).find() && !NOT_A_METHOD.matcher(method.get(0)).find());
        assertTrue(NOT_A_METHOD.matcher(method.get(1)).find(), "an if is not a method");
        assertEquals(6, bodyLength(method, 0));
    }

    /** Lines from {@code start} to the line that closes the brace opened there (braces in strings and chars skipped). */
    static int bodyLength(List<String> lines, int start) {
        int depth = 0;
        for (int i = start; i < lines.size(); i++) {
            String code = lines.get(i).replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(?:\\\\.|[^'\\\\])'", "''");
            int comment = code.indexOf("//");
            code = comment >= 0 ? code.substring(0, comment) : code;
            for (char c : code.toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            if (depth <= 0) {
                return i - start + 1;
            }
        }
        return lines.size() - start;
    }
}
