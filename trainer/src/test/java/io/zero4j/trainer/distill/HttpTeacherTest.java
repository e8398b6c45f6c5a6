package io.zero4j.trainer.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zero4j.model.UserInputException;
import io.zero4j.trainer.config.RunConfig;
import java.net.http.HttpHeaders;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link HttpTeacher} reads before any request: the key's variable and {@code Retry-After}. (Requests: serve's tests.) */
class HttpTeacherTest {
    private static HttpHeaders retryAfter(String value) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(value)), (name, v) -> true);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsADateAndNeverThrows() {
        assertEquals(2000, HttpTeacher.retryAfterMillis(retryAfter("2")));
        assertEquals(1500, HttpTeacher.retryAfterMillis(retryAfter(" 1.5 ")));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        long millis = HttpTeacher.retryAfterMillis(retryAfter(inTenSeconds));
        assertTrue(millis > 8000 && millis <= 10_000, "an HTTP-date ten seconds ahead (whole seconds): " + millis);
        assertEquals(0, HttpTeacher.retryAfterMillis(retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")), "a date past");
        assertEquals(600_000, HttpTeacher.retryAfterMillis(retryAfter("86400")), "a day is capped at ten minutes");
        for (String unreadable : List.of("soon", "-5", "", "1e9999")) {
            assertEquals(0, HttpTeacher.retryAfterMillis(retryAfter(unreadable)), unreadable);
        }
        assertEquals(0, HttpTeacher.retryAfterMillis(HttpHeaders.of(Map.of(), (name, v) -> true)), "none");
    }

    @Test
    void aKeyVariableThatIsNotSetIsOneLineNotARequestWithoutIt() {
        RunConfig.Teacher t = new RunConfig.Teacher(null, "http://127.0.0.1:9/v1", "m", "ZERO4J_NO_SUCH_KEY", 0, 1, 0, 1);
        UserInputException e = assertThrows(UserInputException.class, () -> new HttpTeacher(t, Map.of(), 1, "c.json").close());
        assertTrue(e.getMessage().startsWith("c.json: key 'teacher.api_key_env': the environment variable ZERO4J_NO_SUCH_KEY is not set"),
                e.getMessage());
        new HttpTeacher(t, Map.of("ZERO4J_NO_SUCH_KEY", "k"), 1, "c.json").close();
    }
}
