package io.eqlwatch.eql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    private static List<TokenType> types(String text) {
        return Lexer.tokenize(text).stream().map(Token::type).toList();
    }

    private static Object onlyValue(String text) {
        List<Token> tokens = Lexer.tokenize(text);
        assertEquals(2, tokens.size(), "one token and EOF: " + tokens);
        return tokens.get(0).value();
    }

    @Test
    void operatorsAreLongestMatch() {
        assertEquals(
                List.of(
                        TokenType.EQ,
                        TokenType.NEQ,
                        TokenType.LTE,
                        TokenType.LT,
                        TokenType.GTE,
                        TokenType.GT,
                        TokenType.SEQ,
                        TokenType.ASSIGN,
                        TokenType.PLUS,
                        TokenType.MINUS,
                        TokenType.ASTERISK,
                        TokenType.SLASH,
                        TokenType.PERCENT,
                        TokenType.MISSING_EVENT_OPEN,
                        TokenType.LB,
                        TokenType.RB,
                        TokenType.PIPE,
                        TokenType.OPTIONAL,
                        TokenType.LP,
                        TokenType.RP,
                        TokenType.COMMA,
                        TokenType.DOT,
                        TokenType.EOF),
                types("== != <= < >= > : = + - * / % ![ [ ] | ? ( ) , ."));
    }

    @Test
    void keywordsAreLowerCaseOnlyAndTildeFormsAreOneToken() {
        assertEquals(
                List.of(
                        TokenType.AND,
                        TokenType.OR,
                        TokenType.NOT,
                        TokenType.IN,
                        TokenType.IN_INSENSITIVE,
                        TokenType.LIKE,
                        TokenType.LIKE_INSENSITIVE,
                        TokenType.REGEX,
                        TokenType.REGEX_INSENSITIVE,
                        TokenType.IDENTIFIER,
                        TokenType.TILDE_IDENTIFIER,
                        TokenType.EOF),
                types("and or not in in~ like like~ regex regex~ AND endsWith~"));
        assertEquals(
                List.of(
                        TokenType.WHERE,
                        TokenType.SEQUENCE,
                        TokenType.SAMPLE,
                        TokenType.BY,
                        TokenType.WITH,
                        TokenType.MAXSPAN,
                        TokenType.UNTIL,
                        TokenType.ANY,
                        TokenType.TRUE,
                        TokenType.FALSE,
                        TokenType.NULL,
                        TokenType.IDENTIFIER,
                        TokenType.EOF),
                types("where sequence sample by with maxspan until any true false null runs"));
    }

    @Test
    void tokensCarryLineAndColumn() {
        List<Token> tokens = Lexer.tokenize("process where\n  true // c\n /* x\n y */ and");
        assertEquals(1, tokens.get(0).line());
        assertEquals(1, tokens.get(0).column());
        assertEquals(9, tokens.get(1).column());
        assertEquals(2, tokens.get(2).line());
        assertEquals(3, tokens.get(2).column());
        Token and = tokens.get(3);
        assertEquals(TokenType.AND, and.type());
        assertEquals(4, and.line());
        assertEquals(7, and.column());
    }

    @Test
    void blockCommentsNestAsInElasticsearch() {
        assertEquals(List.of(TokenType.TRUE, TokenType.EOF), types("/* a /* b */ c */ true"));
    }

    @Test
    void unterminatedCommentIsPositioned() {
        EqlSyntaxException e = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("true\n  /* open"));
        assertEquals(2, e.line());
        assertEquals(3, e.column());
    }

    @Test
    void stringEscapes() {
        assertEquals("a\nb\tc\rd\"e\\f'g", onlyValue("\"a\\nb\\tc\\rd\\\"e\\\\f\\'g\""));
        assertEquals("\u200f", onlyValue("\"\\u{200f}\""));
        assertEquals("\u200f", onlyValue("\"\\u{0000200F}\""));
        assertEquals("A", onlyValue("\"\\u{41}\""));
    }

    @Test
    void badEscapesAreRejectedWithTheirPosition() {
        EqlSyntaxException e = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("x : \"C:\\d\""));
        assertEquals(8, e.column());
        assertTrue(e.getMessage().contains("[\\d]"), e.getMessage());
        assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("\"\\u{1}\""));
        assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("\"\\u{123456789}\""));
        assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("\"\\u{d800}\""));
        assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("\"\\u0041\""));
    }

    @Test
    void rawStringsKeepBackslashesAndQuotes() {
        assertEquals("C:\\Windows\\\"x\"", onlyValue("\"\"\"C:\\Windows\\\"x\"\"\"\""));
        assertEquals("a\"\"", onlyValue("\"\"\"a\"\"\"\"\""));
        assertEquals("", onlyValue("\"\"\"\"\"\""));
    }

    @Test
    void rawStringsEndOnTheirLine() {
        EqlSyntaxException e = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("x : \"\"\"a\nb\"\"\""));
        assertEquals(1, e.line());
        assertEquals(5, e.column());
    }

    @Test
    void singleQuotedAndQuestionMarkStringsAreRejectedAsElasticsearchDoes() {
        // EQL syntax reference: "Strings enclosed in single quotes (') are not supported" and
        // "?\" and ?' do not indicate raw strings".
        EqlSyntaxException single = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("x == 'a'"));
        assertEquals(6, single.column());
        assertTrue(single.getMessage().contains("double quotes"), single.getMessage());
        EqlSyntaxException raw = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("x == ?\"a\""));
        assertTrue(raw.getMessage().contains("triple double quotes"), raw.getMessage());
    }

    @Test
    void unterminatedStringPointsAtItsStart() {
        EqlSyntaxException e = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("a == \"abc\n\""));
        assertEquals(1, e.line());
        assertEquals(6, e.column());
    }

    @Test
    void numbers() {
        assertEquals(42L, onlyValue("42"));
        assertEquals(4.5, onlyValue("4.5"));
        assertEquals(0.5, onlyValue(".5"));
        assertEquals(1.0, onlyValue("1."));
        assertEquals(1.5e3, onlyValue("1.5e3"));
        assertEquals(2e-2, onlyValue("2E-2"));
        assertEquals(1e10, onlyValue("1e+10"));
        assertEquals(List.of(TokenType.INTEGER, TokenType.IDENTIFIER, TokenType.EOF), types("30s"));
        assertEquals(List.of(TokenType.INTEGER, TokenType.IDENTIFIER, TokenType.EOF), types("1e"));
        EqlSyntaxException e = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("99999999999999999999"));
        assertTrue(e.getMessage().contains("too large"));
    }

    @Test
    void backquotedIdentifiers() {
        assertEquals("my-field", onlyValue("`my-field`"));
        assertEquals("my`field", onlyValue("`my``field`"));
        assertEquals("6 field", onlyValue("`6 field`"));
        assertEquals("@timestamp", onlyValue("@timestamp"));
    }

    @Test
    void strayCharactersAreRejected() {
        EqlSyntaxException e = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("a == 1 # b"));
        assertEquals(8, e.column());
        EqlSyntaxException bang = assertThrows(EqlSyntaxException.class, () -> Lexer.tokenize("!a"));
        assertTrue(bang.getMessage().contains("'not'"));
    }
}
