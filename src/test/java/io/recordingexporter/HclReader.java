package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A small reader of HCL, enough for {@code config/genesys}: blocks and labels, attributes, strings with {@code ${...}}
 * interpolation and {@code $${} escapes, heredocs, comments, lists, objects, function calls and conditionals; for
 * {@link GenesysTerraformTest}, which checks the configuration without Terraform or its provider.
 */
final class HclReader {

    private HclReader() {}


    enum Kind { IDENT, NUMBER, STRING, PUNCT, NEWLINE, COMMENT, EOF }

    /** A token; strings and heredocs carry their template parts, whose interpolations are tokens again. */
    record Token(Kind kind, String text, int line, List<Part> parts) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        boolean isIdent(String name) {
            return kind == Kind.IDENT && text.equals(name);
        }
    }

    /** A literal run of a template, or an interpolation ({@code ${...}}) / directive ({@code %{...}}). */
    record Part(String literal, List<Token> interpolation, boolean directive) {}

    static final class Lexer {
        private final String src;
        private final String file;
        private int pos;
        private int line;
        final List<String> problems;

        Lexer(String src, String file, int line, List<String> problems) {
            this.src = src;
            this.file = file;
            this.line = line;
            this.problems = problems;
        }

        List<Token> all() {
            List<Token> tokens = new ArrayList<>();
            while (true) {
                Token token = next(false);
                tokens.add(token);
                if (token.kind == Kind.EOF) {
                    return tokens;
                }
            }
        }

        /** The tokens of an interpolation, up to its unmatched '}' (consumed); newlines are insignificant there. */
        List<Token> untilCloseBrace() {
            List<Token> tokens = new ArrayList<>();
            int depth = 0;
            while (true) {
                Token token = next(true);
                if (token.kind == Kind.EOF) {
                    problems.add(file + ":" + line + ": unterminated ${ or %{");
                    return tokens;
                }
                if (token.is("{") || token.is("[") || token.is("(")) {
                    depth++;
                } else if (token.is("}") && depth == 0) {
                    return tokens;
                } else if (token.is("}") || token.is("]") || token.is(")")) {
                    depth--;
                }
                if (!token.is("~") && token.kind != Kind.COMMENT) {
                    tokens.add(token);
                }
            }
        }

        private char at(int offset) {
            int i = pos + offset;
            return i < src.length() ? src.charAt(i) : '\0';
        }

        private Token next(boolean skipNewlines) {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == '\n' && skipNewlines) {
                    pos++;
                    line++;
                } else {
                    break;
                }
            }
            if (pos >= src.length()) {
                return new Token(Kind.EOF, "", line, List.of());
            }
            int start = pos;
            int startLine = line;
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                return new Token(Kind.NEWLINE, "\n", startLine, List.of());
            }
            if (c == '#' || (c == '/' && at(1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
                return new Token(Kind.COMMENT, src.substring(start, pos), startLine, List.of());
            }
            if (c == '/' && at(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    problems.add(file + ":" + startLine + ": unterminated /* comment");
                    end = src.length() - 2;
                }
                String text = src.substring(start, end + 2);
                line += (int) text.chars().filter(ch -> ch == '\n').count();
                pos = end + 2;
                return new Token(Kind.COMMENT, text, startLine, List.of());
            }
            if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                        || src.charAt(pos) == '-')) {
                    pos++;
                }
                return new Token(Kind.IDENT, src.substring(start, pos), startLine, List.of());
            }
            if (Character.isDigit(c)) {
                while (Character.isDigit(at(0))) {
                    pos++;
                }
                if (at(0) == '.' && Character.isDigit(at(1))) {
                    pos++;
                    while (Character.isDigit(at(0))) {
                        pos++;
                    }
                }
                if ((at(0) == 'e' || at(0) == 'E') && (Character.isDigit(at(1))
                        || ((at(1) == '+' || at(1) == '-') && Character.isDigit(at(2))))) {
                    pos += 2;
                    while (Character.isDigit(at(0))) {
                        pos++;
                    }
                }
                return new Token(Kind.NUMBER, src.substring(start, pos), startLine, List.of());
            }
            if (c == '"') {
                pos++;
                List<Part> parts = template(true);
                return new Token(Kind.STRING, src.substring(start, pos), startLine, parts);
            }
            boolean heredoc = c == '<' && at(1) == '<'
                    && (Character.isLetter(at(2)) || (at(2) == '-' && Character.isLetter(at(3))));
            if (heredoc) {
                return heredoc(startLine);
            }
            for (String op : List.of("...", "==", "!=", "<=", ">=", "&&", "||", "=>")) {
                if (src.startsWith(op, pos)) {
                    pos += op.length();
                    return new Token(Kind.PUNCT, op, startLine, List.of());
                }
            }
            pos++;
            if ("{}[]()=,.:?!<>+-*/%~".indexOf(c) < 0) {
                problems.add(file + ":" + startLine + ": unexpected character '" + c + "'");
            }
            return new Token(Kind.PUNCT, String.valueOf(c), startLine, List.of());
        }

        /** A quoted string's parts up to its closing quote, or (heredoc content) up to the end of the source. */
        private List<Part> template(boolean quoted) {
            List<Part> parts = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            while (true) {
                if (pos >= src.length()) {
                    if (quoted) {
                        problems.add(file + ":" + line + ": unterminated string");
                    }
                    break;
                }
                char c = src.charAt(pos);
                if (quoted && c == '"') {
                    pos++;
                    break;
                }
                if (quoted && c == '\n') {
                    problems.add(file + ":" + line + ": newline in a quoted string");
                    break;
                }
                if (c == '\n') {
                    line++;
                }
                if (quoted && c == '\\') {
                    char e = at(1);
                    pos += 2;
                    switch (e) {
                        case 'n' -> literal.append('\n');
                        case 't' -> literal.append('\t');
                        case 'r' -> literal.append('\r');
                        case '"' -> literal.append('"');
                        case '\\' -> literal.append('\\');
                        case 'u' -> {
                            literal.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> problems.add(file + ":" + line + ": unknown escape \\" + e);
                    }
                    continue;
                }
                if ((c == '$' || c == '%') && at(1) == c && at(2) == '{') {
                    literal.append(c).append('{'); // $${ and %%{ are the literal ${ and %{
                    pos += 3;
                    continue;
                }
                if ((c == '$' || c == '%') && at(1) == '{') {
                    if (literal.length() > 0) {
                        parts.add(new Part(literal.toString(), null, false));
                        literal.setLength(0);
                    }
                    pos += 2;
                    parts.add(new Part(null, untilCloseBrace(), c == '%'));
                    continue;
                }
                literal.append(c);
                pos++;
            }
            if (literal.length() > 0 || parts.isEmpty()) {
                parts.add(new Part(literal.toString(), null, false));
            }
            return parts;
        }

        private Token heredoc(int startLine) {
            int start = pos;
            pos += 2;
            boolean indented = at(0) == '-';
            if (indented) {
                pos++;
            }
            int markerStart = pos;
            while (Character.isLetterOrDigit(at(0)) || at(0) == '_') {
                pos++;
            }
            String marker = src.substring(markerStart, pos);
            int eol = src.indexOf('\n', pos);
            if (eol < 0 || !src.substring(pos, eol).isBlank()) {
                problems.add(file + ":" + startLine + ": a heredoc marker must end its line");
                return new Token(Kind.STRING, "", startLine, List.of(new Part("", null, false)));
            }
            List<String> lines = new ArrayList<>();
            int cursor = eol + 1;
            int contentLine = line + 1;
            boolean closed = false;
            while (cursor <= src.length()) {
                int end = src.indexOf('\n', cursor);
                String text = src.substring(cursor, end < 0 ? src.length() : end);
                cursor = end < 0 ? src.length() + 1 : end + 1;
                if (text.strip().equals(marker)) {
                    closed = true;
                    break;
                }
                lines.add(text);
            }
            if (!closed) {
                problems.add(file + ":" + startLine + ": heredoc " + marker + " is never closed");
            }
            if (indented) {
                int indent = lines.stream().filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
                lines = lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList();
            }
            String content = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
            Lexer inner = new Lexer(content, file, contentLine, problems);
            List<Part> parts = inner.template(false);
            line += 1 + lines.size() + (closed ? 1 : 0); // the marker's line, the content, the closing line
            pos = Math.min(cursor, src.length());
            // the heredoc token ends at its closing marker: the newline after it is the attribute's end
            if (closed && pos > 0 && src.charAt(pos - 1) == '\n') {
                pos--;
                line--;
            }
            return new Token(Kind.STRING, src.substring(start, pos), startLine, parts);
        }
    }

    /** An HCL expression, as far as this reader needs to understand it. */
    sealed interface Value {
        record Str(List<Part> parts, int line) implements Value {
            @Override
            public String toString() {
                StringBuilder text = new StringBuilder("\"");
                for (Part part : parts) {
                    text.append(part.literal() != null ? part.literal()
                            : "${" + Config.text(part.interpolation()) + "}");
                }
                return text.append('"').toString();
            }
        }

        record Num(BigDecimal value) implements Value {
            @Override
            public String toString() {
                return value.toPlainString();
            }
        }

        record Literal(Object value) implements Value {
            @Override
            public String toString() {
                return String.valueOf(value);
            }
        }

        record ListV(List<Value> items) implements Value {
            @Override
            public String toString() {
                return items.toString();
            }
        }

        record Obj(Map<String, Value> entries) implements Value {
            @Override
            public String toString() {
                return entries.toString();
            }
        }

        record Call(String name, List<Value> args) implements Value {
            @Override
            public String toString() {
                return name + "(" + String.join(", ", args.stream().map(Object::toString).toList()) + ")";
            }
        }

        /** A traversal: {@code var.x}, {@code type.name.attr}; an index or splat shows as {@code []} or {@code *}. */
        record Ref(List<String> names, int line) implements Value {
            @Override
            public String toString() {
                return String.join(".", names);
            }
        }

        record Cond(Value condition, Value whenTrue, Value whenFalse) implements Value {
            @Override
            public String toString() {
                return condition + " ? " + whenTrue + " : " + whenFalse;
            }
        }

        /** Anything else (operators, for expressions): only its references are looked at. */
        record Opaque(List<Token> tokens) implements Value {
            @Override
            public String toString() {
                return Config.text(tokens);
            }
        }
    }

    /** An attribute's value with the tokens it was read from (references are found in the tokens). */
    record Attr(String name, Value value, List<Token> tokens, String file, int line) {}

    static final class Block {
        final String type;
        final List<String> labels;
        final Map<String, Attr> attrs = new LinkedHashMap<>();
        final List<Block> blocks = new ArrayList<>();
        final String file;
        final int line;
        final String comment;

        Block(String type, List<String> labels, String file, int line, String comment) {
            this.type = type;
            this.labels = labels;
            this.file = file;
            this.line = line;
            this.comment = comment;
        }

        Value attr(String name) {
            Attr attr = attrs.get(name);
            return attr == null ? null : attr.value();
        }

        Block only(String type) {
            List<Block> found = blocks.stream().filter(b -> b.type.equals(type)).toList();
            if (found.size() != 1) {
                fail(where() + ": expected one " + type + " block, found " + found.size());
            }
            return found.get(0);
        }

        /** The role's permission_policies blocks, static or dynamic. */
        List<Block> policies() {
            return blocks.stream().filter(b -> b.type.equals("permission_policies")
                    || (b.type.equals("dynamic") && b.labels.equals(List.of("permission_policies")))).toList();
        }

        String where() {
            return file + ":" + line + " (" + type + (labels.isEmpty() ? "" : " " + String.join(".", labels)) + ")";
        }
    }

    static final class Parser {
        private final List<Token> tokens;
        private final String file;
        private final List<String> problems;
        private int i;

        Parser(List<Token> tokens, String file, List<String> problems) {
            this.tokens = tokens;
            this.file = file;
            this.problems = problems;
        }

        private Token peek(int ahead) {
            return tokens.get(Math.min(i + ahead, tokens.size() - 1));
        }

        void body(Block into, boolean untilBrace) {
            StringBuilder comment = new StringBuilder();
            while (true) {
                Token token = peek(0);
                if (token.kind == Kind.EOF) {
                    if (untilBrace) {
                        problems.add(file + ":" + into.line + ": block " + into.type + " is never closed");
                    }
                    return;
                }
                if (token.kind == Kind.NEWLINE) {
                    i++;
                } else if (token.kind == Kind.COMMENT) {
                    comment.append(token.text()).append('\n');
                    i++;
                } else if (token.is("}") && untilBrace) {
                    i++;
                    return;
                } else if (token.kind == Kind.IDENT && peek(1).is("=")) {
                    i += 2;
                    List<Token> expression = expression();
                    if (expression.isEmpty()) {
                        problems.add(file + ":" + token.line() + ": attribute " + token.text() + " has no value");
                    }
                    into.attrs.put(token.text(), new Attr(token.text(), Config.value(expression), expression, file,
                            token.line()));
                    comment.setLength(0);
                } else if (token.kind == Kind.IDENT) {
                    i++;
                    List<String> labels = new ArrayList<>();
                    while (peek(0).kind == Kind.STRING || peek(0).kind == Kind.IDENT) {
                        Token label = peek(0);
                        labels.add(label.kind == Kind.IDENT ? label.text() : Config.literal(label.parts()));
                        i++;
                    }
                    if (!peek(0).is("{")) {
                        problems.add(file + ":" + peek(0).line() + ": expected '{' or '=' after " + token.text()
                                + ", found " + peek(0).text());
                        skipLine();
                        continue;
                    }
                    i++;
                    Block block = new Block(token.text(), labels, file, token.line(), comment.toString());
                    body(block, true);
                    into.blocks.add(block);
                    comment.setLength(0);
                } else {
                    problems.add(file + ":" + token.line() + ": unexpected " + token.text().strip());
                    skipLine();
                }
            }
        }

        private void skipLine() {
            while (peek(0).kind != Kind.NEWLINE && peek(0).kind != Kind.EOF) {
                i++;
            }
        }

        /** An attribute's expression: up to the end of its line, newlines inside brackets included. */
        private List<Token> expression() {
            List<Token> expression = new ArrayList<>();
            int depth = 0;
            while (true) {
                Token token = peek(0);
                if (token.kind == Kind.EOF || (depth == 0 && (token.kind == Kind.NEWLINE || token.is("}")))) {
                    return expression;
                }
                if (token.is("{") || token.is("[") || token.is("(")) {
                    depth++;
                } else if (token.is("}") || token.is("]") || token.is(")")) {
                    depth--;
                }
                if (token.kind != Kind.COMMENT) {
                    expression.add(token);
                }
                i++;
            }
        }
    }

    /** A value {@code jsonencode} turns into JSON (maps, lists, strings, numbers, booleans, {@link #NULL}). */
    record Json(Object value) {
        static final Object NULL = new Object() {
            @Override
            public String toString() {
                return "null";
            }
        };
    }

    /** Where a value was found. */
    record Use<T>(T value, String where) {}

    /** The whole configuration: every file's top-level blocks, indexed the way references name them. */
    static final class Config {
        static final Object UNKNOWN = new Object() {
            @Override
            public String toString() {
                return "<unknown>";
            }
        };
        private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "for", "in", "if", "else",
                "endif", "endfor");
        private static final Set<String> TYPE_WORDS = Set.of("string", "number", "bool", "any", "list", "map", "set",
                "object", "tuple", "optional");

        final Path dir;
        final List<String> files = new ArrayList<>();
        final List<Block> blocks = new ArrayList<>();
        final List<String> syntaxProblems = new ArrayList<>();
        final Map<String, Block> variables = new LinkedHashMap<>();
        final Map<String, Value> locals = new LinkedHashMap<>();
        final Map<String, Block> resources = new LinkedHashMap<>();
        final Map<String, Block> data = new LinkedHashMap<>();
        final Map<String, Block> modules = new LinkedHashMap<>();
        final Map<String, Block> outputs = new LinkedHashMap<>();
        int referenceCount;

        private Config(Path dir) {
            this.dir = dir;
        }

        static Config load(Path dir) throws IOException {
            Map<String, String> sources = new TreeMap<>();
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path file : listing.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
                    sources.put(file.getFileName().toString(), Files.readString(file));
                }
            }
            return of(sources, dir);
        }

        static Config of(Map<String, String> sources, Path dir) {
            Config config = new Config(dir);
            for (Map.Entry<String, String> source : new TreeMap<>(sources).entrySet()) {
                config.files.add(source.getKey());
                List<Token> tokens = new Lexer(source.getValue(), source.getKey(), 1, config.syntaxProblems).all();
                Block file = new Block("<file>", List.of(), source.getKey(), 1, "");
                new Parser(tokens, source.getKey(), config.syntaxProblems).body(file, false);
                if (!file.attrs.isEmpty()) {
                    config.syntaxProblems.add(source.getKey() + ": attributes outside any block: "
                            + file.attrs.keySet());
                }
                config.blocks.addAll(file.blocks);
            }
            for (Block block : config.blocks) {
                config.index(block);
            }
            return config;
        }

        private void index(Block block) {
            String key = String.join(".", block.labels);
            Map<String, Block> into = switch (block.type) {
                case "variable" -> variables;
                case "resource" -> resources;
                case "data" -> data;
                case "module" -> modules;
                case "output" -> outputs;
                default -> null;
            };
            int labels = block.type.equals("resource") || block.type.equals("data") ? 2 : 1;
            if (into != null) {
                if (block.labels.size() != labels) {
                    syntaxProblems.add(block.where() + ": a " + block.type + " block takes " + labels + " label(s)");
                } else if (into.put(key, block) != null) {
                    syntaxProblems.add(block.where() + ": " + block.type + " " + key + " is declared twice");
                }
            }
            if (block.type.equals("locals")) {
                for (Attr attr : block.attrs.values()) {
                    if (locals.put(attr.name(), attr.value()) != null) {
                        syntaxProblems.add(attr.file() + ":" + attr.line() + ": local " + attr.name()
                                + " is declared twice");
                    }
                }
            }
        }

        List<Block> resourcesOfType(String type) {
            return resources.values().stream().filter(b -> b.labels.get(0).equals(type)).toList();
        }

        // ------------------------------------------------------------------------------- values from tokens

        static String literal(List<Part> parts) {
            StringBuilder text = new StringBuilder();
            for (Part part : parts) {
                text.append(part.literal() != null ? part.literal() : "${" + text(part.interpolation()) + "}");
            }
            return text.toString();
        }

        static String text(List<Token> tokens) {
            StringBuilder text = new StringBuilder();
            for (Token token : tokens) {
                if (token.kind() == Kind.NEWLINE) {
                    continue;
                }
                if (text.length() > 0 && !token.is(".") && !token.is(",") && !token.is(")") && !token.is("]")
                        && text.charAt(text.length() - 1) != '.' && text.charAt(text.length() - 1) != '('
                        && text.charAt(text.length() - 1) != '[') {
                    text.append(' ');
                }
                text.append(token.kind() == Kind.STRING ? "\"" + literal(token.parts()) + "\"" : token.text());
            }
            return text.toString();
        }

        static Value value(List<Token> slice) {
            int from = 0;
            int to = slice.size();
            while (from < to && slice.get(from).kind() == Kind.NEWLINE) {
                from++;
            }
            while (to > from && slice.get(to - 1).kind() == Kind.NEWLINE) {
                to--;
            }
            List<Token> tokens = slice.subList(from, to);
            if (tokens.isEmpty()) {
                return new Value.Opaque(tokens);
            }
            int question = topLevel(tokens, "?", 0);
            if (question > 0) {
                int colon = -1;
                int nested = 0;
                for (int k = question + 1, depth = 0; k < tokens.size(); k++) {
                    Token t = tokens.get(k);
                    depth += opens(t) ? 1 : closes(t) ? -1 : 0;
                    if (depth == 0 && t.is("?")) {
                        nested++;
                    } else if (depth == 0 && t.is(":")) {
                        if (nested == 0) {
                            colon = k;
                            break;
                        }
                        nested--;
                    }
                }
                if (colon > question) {
                    return new Value.Cond(value(tokens.subList(0, question)),
                            value(tokens.subList(question + 1, colon)),
                            value(tokens.subList(colon + 1, tokens.size())));
                }
            }
            int[] end = new int[1];
            Value primary = primary(tokens, 0, end);
            return primary != null && end[0] == tokens.size() ? primary : new Value.Opaque(List.copyOf(tokens));
        }

        private static boolean opens(Token t) {
            return t.is("(") || t.is("[") || t.is("{");
        }

        private static boolean closes(Token t) {
            return t.is(")") || t.is("]") || t.is("}");
        }

        /** Index of the first {@code punct} at bracket depth 0 from {@code from}, or -1. */
        private static int topLevel(List<Token> tokens, String punct, int from) {
            int depth = 0;
            for (int k = from; k < tokens.size(); k++) {
                Token t = tokens.get(k);
                if (depth == 0 && t.is(punct)) {
                    return k;
                }
                depth += opens(t) ? 1 : closes(t) ? -1 : 0;
            }
            return -1;
        }

        private static int matching(List<Token> tokens, int open) {
            int depth = 0;
            for (int k = open; k < tokens.size(); k++) {
                depth += opens(tokens.get(k)) ? 1 : closes(tokens.get(k)) ? -1 : 0;
                if (depth == 0) {
                    return k;
                }
            }
            return tokens.size() - 1;
        }

        /** Splits at depth-0 commas (and, for objects, newlines), dropping empty pieces. */
        private static List<List<Token>> split(List<Token> tokens, boolean atNewlines) {
            List<List<Token>> pieces = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int k = 0; k <= tokens.size(); k++) {
                Token t = k < tokens.size() ? tokens.get(k) : null;
                boolean cut = t == null || (depth == 0 && (t.is(",") || (atNewlines && t.kind() == Kind.NEWLINE)));
                if (cut) {
                    List<Token> piece = tokens.subList(start, k).stream().filter(p -> p.kind() != Kind.NEWLINE)
                            .toList();
                    if (!piece.isEmpty()) {
                        pieces.add(tokens.subList(start, k));
                    }
                    start = k + 1;
                } else {
                    depth += opens(t) ? 1 : closes(t) ? -1 : 0;
                }
            }
            return pieces;
        }

        private static Value primary(List<Token> tokens, int k, int[] end) {
            Token t = tokens.get(k);
            switch (t.kind()) {
                case STRING -> {
                    end[0] = k + 1;
                    return new Value.Str(t.parts(), t.line());
                }
                case NUMBER -> {
                    end[0] = k + 1;
                    return new Value.Num(new BigDecimal(t.text()));
                }
                case IDENT -> {
                    if (t.text().equals("true") || t.text().equals("false")) {
                        end[0] = k + 1;
                        return new Value.Literal(Boolean.valueOf(t.text()));
                    }
                    if (t.text().equals("null")) {
                        end[0] = k + 1;
                        return new Value.Literal(Json.NULL);
                    }
                    if (k + 1 < tokens.size() && tokens.get(k + 1).is("(")) {
                        int close = matching(tokens, k + 1);
                        List<Value> args = new ArrayList<>();
                        for (List<Token> arg : split(tokens.subList(k + 2, close), false)) {
                            args.add(value(arg));
                        }
                        end[0] = close + 1;
                        return new Value.Call(t.text(), args);
                    }
                    List<String> names = new ArrayList<>(List.of(t.text()));
                    int j = k + 1;
                    while (j < tokens.size()) {
                        if (tokens.get(j).is(".") && j + 1 < tokens.size()
                                && (tokens.get(j + 1).kind() == Kind.IDENT || tokens.get(j + 1).kind() == Kind.NUMBER
                                        || tokens.get(j + 1).is("*"))) {
                            names.add(tokens.get(j + 1).text());
                            j += 2;
                        } else if (tokens.get(j).is("[")) {
                            names.add("[]");
                            j = matching(tokens, j) + 1;
                        } else {
                            break;
                        }
                    }
                    end[0] = j;
                    return new Value.Ref(names, t.line());
                }
                default -> {
                    if (t.is("(")) {
                        int close = matching(tokens, k);
                        end[0] = close + 1;
                        return value(tokens.subList(k + 1, close));
                    }
                    if (t.is("[") || t.is("{")) {
                        int close = matching(tokens, k);
                        List<Token> inner = tokens.subList(k + 1, close);
                        end[0] = close + 1;
                        boolean forExpression = inner.stream().filter(x -> x.kind() != Kind.NEWLINE).findFirst()
                                .map(x -> x.isIdent("for")).orElse(false);
                        if (forExpression) {
                            return new Value.Opaque(List.copyOf(tokens.subList(k, close + 1)));
                        }
                        if (t.is("[")) {
                            List<Value> items = new ArrayList<>();
                            for (List<Token> item : split(inner, false)) {
                                items.add(value(item));
                            }
                            return new Value.ListV(items);
                        }
                        Map<String, Value> entries = new LinkedHashMap<>();
                        for (List<Token> item : split(inner, true)) {
                            int first = 0;
                            while (item.get(first).kind() == Kind.NEWLINE) {
                                first++;
                            }
                            int equals = topLevel(item, "=", first);
                            int colon = topLevel(item, ":", first);
                            int separator = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
                            if (separator != first + 1) {
                                return null; // a computed key or no separator: not an object this reader reads
                            }
                            Token key = item.get(first);
                            // the value keeps its newlines: they separate the entries of a nested object
                            entries.put(key.kind() == Kind.STRING ? literal(key.parts()) : key.text(),
                                    value(item.subList(separator + 1, item.size())));
                        }
                        return new Value.Obj(entries);
                    }
                    return null;
                }
            }
        }

        // --------------------------------------------------------------------------------------- references

        /** A reference found in an expression, with where it was found and the block it belongs to. */
        record RefUse(List<String> names, String file, int line, Block owner) {}

        /** Every reference in the configuration, but not those in a variable's type. */
        List<RefUse> references() {
            List<RefUse> found = new ArrayList<>();
            for (Block block : blocks) {
                collect(block, block, Set.of(), found);
            }
            return found;
        }

        private void collect(Block block, Block owner, Set<String> bound, List<RefUse> found) {
            Set<String> scope = new LinkedHashSet<>(bound);
            if (block.type.equals("dynamic") && !block.labels.isEmpty()) {
                Value iterator = block.attr("iterator");
                scope.add(iterator instanceof Value.Ref ref ? ref.names().get(0) : block.labels.get(0));
            }
            for (Attr attr : block.attrs.values()) {
                if (block.type.equals("variable") && attr.name().equals("type")) {
                    continue;
                }
                refs(attr.tokens(), scope, attr.file(), owner, found);
            }
            for (Block child : block.blocks) {
                collect(child, owner, scope, found);
            }
        }

        private static void refs(List<Token> tokens, Set<String> bound, String file, Block owner, List<RefUse> found) {
            Set<String> scope = new LinkedHashSet<>(bound);
            for (int k = 0; k < tokens.size(); k++) {
                Token t = tokens.get(k);
                if (t.kind() == Kind.STRING) {
                    for (Part part : t.parts()) {
                        if (part.interpolation() != null) {
                            refs(part.interpolation(), scope, file, owner, found);
                        }
                    }
                    continue;
                }
                if (t.kind() != Kind.IDENT) {
                    continue;
                }
                if (t.text().equals("for")) { // for x, y in ...: x and y are bound from here on
                    for (int j = k + 1; j < tokens.size() && !tokens.get(j).isIdent("in"); j++) {
                        if (tokens.get(j).kind() == Kind.IDENT) {
                            scope.add(tokens.get(j).text());
                        }
                    }
                    continue;
                }
                Token next = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
                Token previous = k > 0 ? tokens.get(k - 1) : null;
                boolean key = next != null && (next.is("=") || (next.is(":") && (previous == null || previous.is("{")
                        || previous.is(",") || previous.kind() == Kind.NEWLINE)));
                if (KEYWORDS.contains(t.text()) || key || (next != null && next.is("("))) {
                    continue;
                }
                List<String> names = new ArrayList<>(List.of(t.text()));
                int j = k + 1;
                while (j < tokens.size()) {
                    if (tokens.get(j).is(".") && j + 1 < tokens.size()
                            && (tokens.get(j + 1).kind() == Kind.IDENT || tokens.get(j + 1).kind() == Kind.NUMBER
                                    || tokens.get(j + 1).is("*"))) {
                        names.add(tokens.get(j + 1).text());
                        j += 2;
                    } else if (tokens.get(j).is("[")) {
                        int close = matching(tokens, j);
                        refs(tokens.subList(j + 1, close), scope, file, owner, found);
                        names.add("[]");
                        j = close + 1;
                    } else {
                        break;
                    }
                }
                if (!scope.contains(names.get(0))) {
                    found.add(new RefUse(names, file, t.line(), owner));
                }
                k = j - 1;
            }
        }

        List<String> referenceProblems() {
            List<String> problems = new ArrayList<>();
            List<RefUse> uses = references();
            referenceCount = uses.size();
            for (RefUse use : uses) {
                String problem = resolve(use);
                if (problem != null) {
                    problems.add(use.file() + ":" + use.line() + ": " + String.join(".", use.names()) + " " + problem);
                }
            }
            return problems;
        }

        private String resolve(RefUse use) {
            List<String> n = use.names();
            String root = n.get(0);
            String second = n.size() > 1 ? n.get(1) : null;
            switch (root) {
                case "var" -> {
                    return second != null && variables.containsKey(second) ? null
                            : "names no declared variable (declared: " + variables.keySet() + ")";
                }
                case "local" -> {
                    return second != null && locals.containsKey(second) ? null
                            : "names no declared local (declared: " + locals.keySet() + ")";
                }
                case "module" -> {
                    return second != null && modules.containsKey(second) ? null : "names no declared module";
                }
                case "path" -> {
                    return Set.of("module", "root", "cwd").contains(second) ? null : "is not path.module/root/cwd";
                }
                case "terraform", "count", "each", "self" -> {
                    return null;
                }
                case "data" -> {
                    if (n.size() < 3) {
                        return "is not data.<type>.<name>";
                    }
                    Block source = data.get(n.get(1) + "." + n.get(2));
                    return source == null ? "names no declared data source (declared: " + data.keySet() + ")"
                            : attribute(source, n.get(1), n.size() > 3 ? n.get(3) : null);
                }
                default -> {
                    if (TYPE_WORDS.contains(root) && use.owner().type.equals("variable")) {
                        return null;
                    }
                    if (second == null) {
                        return "is not a reference Terraform knows (no such variable, local, resource or data)";
                    }
                    Block resource = resources.get(root + "." + second);
                    if (resource == null) {
                        boolean typeKnown = resources.keySet().stream().anyMatch(k -> k.startsWith(root + "."));
                        return "names no declared resource" + (typeKnown ? "" : " (no resource of type " + root + ")")
                                + " (declared: " + resources.keySet() + ")";
                    }
                    return attribute(resource, root, n.size() > 2 ? n.get(2) : null);
                }
            }
        }

        /** Null when the block has the attribute: set in it, a nested block, its id, or one the provider computes. */
        private static String attribute(Block block, String type, String attr) {
            if (attr == null || attr.equals("id") || attr.equals("[]") || attr.equals("*")
                    || block.attrs.containsKey(attr)
                    || block.blocks.stream().anyMatch(b -> b.type.equals(attr))
                    || GenesysTerraformTest.COMPUTED.getOrDefault(type, Set.of()).contains(attr)) {
                return null;
            }
            return "reads attribute " + attr + ", which " + block.where()
                    + " neither sets nor is known to compute (GenesysTerraformTest.COMPUTED)";
        }

        List<String> unusedVariables() {
            Set<String> used = new LinkedHashSet<>();
            for (RefUse use : references()) {
                boolean inItsOwnBlock = use.owner().type.equals("variable") && use.names().size() > 1
                        && use.owner().labels.get(0).equals(use.names().get(1));
                if (use.names().get(0).equals("var") && use.names().size() > 1 && !inItsOwnBlock) {
                    used.add(use.names().get(1));
                }
            }
            List<String> problems = new ArrayList<>();
            variables.forEach((name, block) -> {
                if (!used.contains(name)) {
                    problems.add(block.file + ":" + block.line + ": variable " + name + " is declared but never used");
                }
            });
            return problems;
        }

        /** Every function call in the configuration's attributes. */
        List<Use<Value.Call>> calls() {
            List<Use<Value.Call>> calls = new ArrayList<>();
            for (Block block : blocks) {
                callsIn(block, calls);
            }
            return calls;
        }

        private void callsIn(Block block, List<Use<Value.Call>> calls) {
            for (Attr attr : block.attrs.values()) {
                callsIn(attr.value(), attr.file() + ":" + attr.line(), calls);
            }
            block.blocks.forEach(child -> callsIn(child, calls));
        }

        private void callsIn(Value value, String where, List<Use<Value.Call>> calls) {
            if (value instanceof Value.Call call) {
                calls.add(new Use<>(call, where));
                call.args().forEach(arg -> callsIn(arg, where, calls));
            } else if (value instanceof Value.ListV list) {
                list.items().forEach(item -> callsIn(item, where, calls));
            } else if (value instanceof Value.Obj obj) {
                obj.entries().values().forEach(item -> callsIn(item, where, calls));
            } else if (value instanceof Value.Cond cond) {
                callsIn(cond.condition(), where, calls);
                callsIn(cond.whenTrue(), where, calls);
                callsIn(cond.whenFalse(), where, calls);
            } else if (value instanceof Value.Str str) {
                for (Part part : str.parts()) {
                    if (part.interpolation() != null && !part.directive()) {
                        callsIn(value(part.interpolation()), where, calls);
                    }
                }
            } else if (value instanceof Value.Opaque opaque) {
                for (int k = 0; k < opaque.tokens().size(); k++) {
                    Token t = opaque.tokens().get(k);
                    boolean call = t.kind() == Kind.IDENT && k + 1 < opaque.tokens().size()
                            && opaque.tokens().get(k + 1).is("(");
                    if (call) {
                        int[] end = new int[1];
                        callsIn(primary(opaque.tokens(), k, end), where, calls);
                    }
                }
            }
        }

        // --------------------------------------------------------------------------------------- evaluation

        /**
         * What an expression is, as far as it can be known without Terraform: a variable without default is the
         * text {@code ${var.name}}, {@code path.module} the configuration's folder, a {@code jsonencode} a
         * {@link Json}; anything else that cannot be known is {@link #UNKNOWN}.
         */
        Object eval(Value value) {
            return eval(value, new LinkedHashSet<>());
        }

        private Object eval(Value value, Set<String> evaluating) {
            if (value == null) {
                return null;
            }
            if (value instanceof Value.Str str) {
                StringBuilder text = new StringBuilder();
                for (Part part : str.parts()) {
                    if (part.literal() != null) {
                        text.append(part.literal());
                        continue;
                    }
                    Object inner = part.directive() ? UNKNOWN : eval(value(part.interpolation()), evaluating);
                    text.append(inner instanceof BigDecimal number ? number.toPlainString()
                            : inner instanceof String || inner instanceof Boolean ? inner : "<unknown>");
                }
                return text.toString();
            }
            if (value instanceof Value.Num num) {
                return num.value();
            }
            if (value instanceof Value.Literal literal) {
                return literal.value();
            }
            if (value instanceof Value.ListV list) {
                List<Object> items = new ArrayList<>();
                list.items().forEach(item -> items.add(eval(item, evaluating)));
                return items;
            }
            if (value instanceof Value.Obj obj) {
                Map<String, Object> entries = new LinkedHashMap<>();
                obj.entries().forEach((key, item) -> entries.put(key, eval(item, evaluating)));
                return entries;
            }
            if (value instanceof Value.Ref ref) {
                List<String> n = ref.names();
                if (n.size() == 2 && n.get(0).equals("path") && n.get(1).equals("module")) {
                    return dir.toString();
                }
                if (n.size() == 2 && n.get(0).equals("local") && locals.containsKey(n.get(1))
                        && evaluating.add("local." + n.get(1))) {
                    Object result = eval(locals.get(n.get(1)), evaluating);
                    evaluating.remove("local." + n.get(1));
                    return result;
                }
                if (n.size() == 2 && n.get(0).equals("var") && variables.containsKey(n.get(1))) {
                    Value fallback = variables.get(n.get(1)).attr("default");
                    return fallback == null ? "${var." + n.get(1) + "}" : eval(fallback, evaluating);
                }
                return UNKNOWN;
            }
            if (value instanceof Value.Call call) {
                List<Object> args = new ArrayList<>();
                call.args().forEach(arg -> args.add(eval(arg, evaluating)));
                switch (call.name()) {
                    case "jsonencode" -> {
                        return args.size() == 1 && !contains(args.get(0), UNKNOWN) ? new Json(args.get(0)) : UNKNOWN;
                    }
                    case "trimsuffix" -> {
                        if (args.size() == 2 && args.get(0) instanceof String text
                                && args.get(1) instanceof String end) {
                            return text.endsWith(end) && !text.startsWith("${var.")
                                    ? text.substring(0, text.length() - end.length()) : text;
                        }
                        return UNKNOWN;
                    }
                    case "tostring" -> {
                        return args.size() == 1 && args.get(0) instanceof BigDecimal number ? number.toPlainString()
                                : args.size() == 1 && args.get(0) instanceof String ? args.get(0) : UNKNOWN;
                    }
                    case "lower" -> {
                        return args.size() == 1 && args.get(0) instanceof String text
                                ? text.toLowerCase(Locale.ROOT) : UNKNOWN;
                    }
                    default -> {
                        return UNKNOWN;
                    }
                }
            }
            return UNKNOWN;
        }

        private static boolean contains(Object tree, Object needle) {
            if (tree == needle) {
                return true;
            }
            if (tree instanceof List<?> list) {
                return list.stream().anyMatch(item -> contains(item, needle));
            }
            if (tree instanceof Map<?, ?> map) {
                return map.values().stream().anyMatch(item -> contains(item, needle));
            }
            return false;
        }

        /** The strings a list-valued expression can hold, over both branches of a conditional. */
        Set<String> possibleStrings(Value value) {
            Set<String> strings = new TreeSet<>();
            if (value instanceof Value.Cond cond) {
                strings.addAll(possibleStrings(cond.whenTrue()));
                strings.addAll(possibleStrings(cond.whenFalse()));
                return strings;
            }
            Object evaluated = eval(value);
            if (evaluated instanceof List<?> list) {
                list.forEach(item -> strings.add(Objects.toString(item)));
            } else if (evaluated instanceof String text) {
                strings.add(text);
            } else {
                fail("cannot tell the strings of " + value);
            }
            return strings;
        }
    }
}
