package io.sparserandom.gate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a scenario's options into arguments the way /bin/sh splits words: white space separates,
 * single quotes keep everything, double quotes keep everything but a backslash before {@code "} or
 * {@code \}, a backslash outside quotes keeps the next character. No expansion of any kind.
 */
final class Words {
    private Words() {}

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' in '" + text + "'");
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("unterminated \" in '" + text + "'");
                    }
                    char d = text.charAt(i);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\'
                            && i + 1 < text.length()
                            && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                        i++;
                        d = text.charAt(i);
                    }
                    word.append(d);
                    i++;
                }
                inWord = true;
                i++;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("trailing \\ in '" + text + "'");
                }
                word.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }
}
