package io.glinerspark.spark;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlRunnerTest {

    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        assertEquals(List.of("SELECT 'a;b'", "SELECT `x;y` FROM t", "SELECT \"it\\\"s;\"", "SELECT 2"),
                SqlRunner.statements("SELECT 'a;b'; SELECT `x;y` FROM t;\n-- a comment; still comment\n"
                        + "SELECT \"it\\\"s;\";SELECT 2;;"));
    }
}
