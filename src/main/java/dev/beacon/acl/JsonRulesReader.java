package dev.beacon.acl;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON form of rules into the same tree as HCL. The token stream (rather than a {@code JsonNode}) keeps
 * line numbers for the decoder's messages. A list of objects stands for the same name given once per object, as
 * in HCL's JSON: {@code "key": [{"a": {...}}, {"b": {...}}]}.
 */
final class JsonRulesReader {
    /**
     * Duplicate names are refused, like Consul's strict decoding; a trailing comma is let through because Consul's
     * own documentation has one in an example.
     */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private JsonRulesReader() {
    }

    static Node.Block read(String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw error(parser, "expected a JSON object");
            }
            Node.Block root = object(parser, 1);
            if (parser.nextToken() != null) {
                throw error(parser, "unexpected content after the closing '}'");
            }
            return root;
        } catch (JacksonException e) {
            String original = e.getOriginalMessage();
            String message = original == null ? "invalid JSON" : RulesException.oneLine(original);
            TokenStreamLocation at = e.getLocation();
            if (at == null || at.getLineNr() < 1) {
                throw new RulesException(message);
            }
            throw RulesException.at(at.getLineNr(), Math.max(1, at.getColumnNr()), message);
        }
    }

    private static Node.Block object(JsonParser parser, int depth) {
        if (depth >= HclParser.MAX_DEPTH) {
            throw error(parser, "objects nested deeper than " + HclParser.MAX_DEPTH + " levels");
        }
        List<Node.Entry> entries = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            int line = parser.currentTokenLocation().getLineNr();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                entries.add(new Node.Entry(name, line, object(parser, depth + 1)));
            } else if (value == JsonToken.START_ARRAY) {
                JsonToken element;
                while ((element = parser.nextToken()) == JsonToken.START_OBJECT) {
                    entries.add(new Node.Entry(name, line, object(parser, depth + 1)));
                }
                if (element != JsonToken.END_ARRAY) {
                    throw error(parser, "the list " + RulesException.quote(name) + " may hold objects only");
                }
            } else if (value == JsonToken.VALUE_STRING) {
                entries.add(new Node.Entry(name, line,
                        new Node.Text(parser.getString(), parser.currentTokenLocation().getLineNr())));
            } else {
                throw error(parser, RulesException.quote(name) + " must be a string or an object");
            }
        }
        if (next != JsonToken.END_OBJECT) {
            throw error(parser, "unexpected end of input, expected '}'");
        }
        return new Node.Block(entries);
    }

    private static RulesException error(JsonParser parser, String message) {
        TokenStreamLocation at = parser.currentTokenLocation();
        return RulesException.at(Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()), message);
    }
}
