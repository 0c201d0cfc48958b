package dev.beacon.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Whatever the input, parsing gives rules or a one-line RulesException, never another exception. */
class RulesFuzzTest {
    private static final List<String> VALID = List.of(
            "key_prefix \"\" {\n  policy = \"read\"\n}\nkey \"foo\" { policy = \"write\" } # c\n"
                    + "service \"web\" { policy = \"read\", intentions = \"write\" }\n/* x */ operator = \"read\"\n"
                    + "key = { \"a\\u00e9\\\"\" = { policy = \"list\" } }\nmesh = \"write\"\n",
            "{\"key\": [{\"foo\": {\"policy\": \"read\"}}], \"key_prefix\": {\"\": {\"policy\": \"list\"}},\n"
                    + " \"service\": {\"a\": {\"policy\": \"write\", \"intentions\": \"deny\"}},"
                    + " \"operator\": \"read\"}");
    private static final String ALPHABET = "{}[]=,\"\\#/*<-\n \tkeypolicyreadwriteEOF_:01u";

    private static void parseSafely(String text) {
        try {
            Rules.parse(text);
        } catch (RulesException e) {
            assertThat(e.getMessage()).as("message for %s", text).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void theSeedsAreValid() {
        for (String valid : VALID) {
            assertThat(Rules.parse(valid).resources()).isNotEmpty();
        }
    }

    @Test
    void everyTruncationOfAValidFile() {
        for (String valid : VALID) {
            for (int end = 0; end <= valid.length(); end++) {
                parseSafely(valid.substring(0, end));
            }
        }
    }

    @Test
    void everyTruncationOfAHeredoc() {
        String heredoc = "x = <<-EOF\n  a\r\n  EOF\n";
        for (int end = 0; end <= heredoc.length(); end++) {
            parseSafely(heredoc.substring(0, end));
        }
    }

    @Test
    void randomMutationsOfValidFiles() {
        Random random = new Random(20240611L);
        for (int round = 0; round < 5_000; round++) {
            StringBuilder text = new StringBuilder(VALID.get(round % VALID.size()));
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, c);
                    case 1 -> text.insert(at, c);
                    default -> text.deleteCharAt(at);
                }
            }
            parseSafely(text.toString());
        }
    }

    @Test
    void randomCharacters() {
        Random random = new Random(7L);
        for (int round = 0; round < 5_000; round++) {
            int length = random.nextInt(80);
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "{" : "");
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                        : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            parseSafely(text.toString());
        }
    }

    @Test
    void randomBytesDecodedAsText() {
        Random random = new Random(99L);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            parseSafely(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
