package dev.meshplatform.processing.api;

/**
 * A product's transformation or SQL quality rule that the sandbox refuses, with the reason in words a domain team
 * can act on: the construct and, when the parser knows it, its position.
 */
public class SqlRefusedException extends RunRefusedException {

    private final String construct;
    private final Integer line;
    private final Integer column;

    public SqlRefusedException(String message) {
        this(message, null, null, null);
    }

    /**
     * @param construct what was refused, e.g. {@code EXECUTE IMMEDIATE} or {@code function 'reflect'}; null when the
     *                  refusal is not about one construct
     * @param line      1-based line of the construct, or null
     * @param column    1-based column of the construct, or null
     */
    public SqlRefusedException(String message, String construct, Integer line, Integer column) {
        super("sql-refused", message);
        this.construct = construct;
        this.line = line;
        this.column = column;
    }

    public String construct() {
        return construct;
    }

    public Integer line() {
        return line;
    }

    public Integer column() {
        return column;
    }
}
