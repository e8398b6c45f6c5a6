package io.zero4j.model.chat;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code strftime} for the codes chat templates use, in English as the C locale prints them. */
final class Strftime {
    private Strftime() {
    }

    static String format(String pattern, LocalDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            char code = pattern.charAt(++i);
            boolean unpadded = code == '-' && i + 1 < pattern.length();
            if (unpadded) {
                code = pattern.charAt(++i);
            }
            String field = field(code, t);
            if (field == null) {
                out.append('%').append(unpadded ? "-" : "").append(code);
            } else {
                out.append(unpadded && field.length() > 1 && field.charAt(0) == '0' ? field.substring(1) : field);
            }
        }
        return out.toString();
    }

    private static String field(char code, LocalDateTime t) {
        return switch (code) {
            case 'd' -> two(t.getDayOfMonth());
            case 'm' -> two(t.getMonthValue());
            case 'Y' -> String.valueOf(t.getYear());
            case 'y' -> two(t.getYear() % 100);
            case 'H' -> two(t.getHour());
            case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
            case 'M' -> two(t.getMinute());
            case 'S' -> two(t.getSecond());
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'e' -> String.format("%2d", t.getDayOfMonth());
            case '%' -> "%";
            default -> null;
        };
    }

    private static String two(int n) {
        return String.format("%02d", n);
    }
}
