package dev.meshplatform.processing.runs;

import dev.meshplatform.processing.api.SqlRefusedException;

/**
 * Refuses text whose brackets nest too deeply before any parser sees it: the parser and every walk over its tree
 * recurse once per level, and apply time runs in the platform's own JVM.
 */
final class Nesting {

    private Nesting() {
    }

    static void check(String sql, int max) {
        int depth = 0;
        int line = 1;
        int column = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                i++;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipComment(sql, i);
            } else {
                if (c == '(' || c == '[') {
                    depth++;
                    if (depth > max) {
                        throw new SqlRefusedException("brackets nest more than " + max + " deep at line " + line
                                + ", column " + column + ": the query is too deeply nested", "nesting", line, column);
                    }
                } else if ((c == ')' || c == ']') && depth > 0) {
                    depth--;
                }
                i++;
            }
        }
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    /** Spark's bracketed comments nest. */
    private static int skipComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }
}
