package io.zero4j.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.zero4j.model.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The lines of a UTF-8 text file, each decoded on its own so that bytes which are not UTF-8 are
 * reported with their line number; a leading byte order mark is skipped, and so is a {@code \r}
 * before a newline.
 */
public final class TextLines {
    private TextLines() {
    }

    public static List<String> read(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(file + ": is a folder, expected a JSONL file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage());
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int from = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        while (from < bytes.length) {
            int end = from;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int stop = end > from && bytes[end - 1] == '\r' ? end - 1 : end;
            try {
                lines.add(utf8.decode(ByteBuffer.wrap(bytes, from, stop - from)).toString());
            } catch (CharacterCodingException e) {
                throw new UserInputException(file + ":" + (lines.size() + 1) + ": not UTF-8 text");
            }
            from = end + 1;
        }
        return lines;
    }

    /**
     * Fails, naming the field, when a string field of {@code row} holds a UTF-16 surrogate without its pair
     * (JSON's {@code \\uD800} escape can write one; it is not text, and no tokenizer or UTF-8 writer takes it).
     */
    public static void requireText(JsonNode row, String where) {
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() && hasLoneSurrogate(e.getValue().asText())) {
                throw new UserInputException(where + ": field '" + e.getKey() + "': holds a lone UTF-16 surrogate"
                        + " (an unpaired \\uD800-\\uDFFF escape), which is not text");
            }
        }
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
