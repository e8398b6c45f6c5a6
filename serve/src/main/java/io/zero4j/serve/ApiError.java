package io.zero4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, answered with its status and OpenAI's error object:
 * {@code {"error": {"message", "type", "param", "code"}}}.
 */
final class ApiError extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();
    final int status;
    final String type;
    final String param;
    final String code;

    ApiError(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is wrong; {@code param} names the field (null when it is the body). */
    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, null, message);
    }

    static ApiError unknownModel(String model) {
        return new ApiError(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + model + "' does not exist; GET /v1/models lists the one served here");
    }

    static ApiError busy(String message) {
        return new ApiError(429, "server_overloaded", null, "server_overloaded", message);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "server_error", null, null, message);
    }

    String json() {
        return body(status, type, param, code, getMessage());
    }

    /** The error object for any status (Javalin's own errors, such as 413, use it too). */
    static String body(int status, String type, String param, String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode root = JSON.createObjectNode();
        root.set("error", error);
        return root.toString();
    }
}
