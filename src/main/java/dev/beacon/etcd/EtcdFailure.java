package dev.beacon.etcd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.beacon.state.EtcdError;

/**
 * etcd v2's error answer, {@code {"errorCode":100,"message":"Key not found","cause":"/a","index":7}}, with the HTTP
 * status etcd gives each code.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"errorCode", "message", "cause", "index"})
record EtcdFailure(@JsonProperty("errorCode") int errorCode, @JsonProperty("message") String message,
                   @JsonProperty("cause") String cause, @JsonProperty("index") long index) {
    static final int VALUE_REQUIRED = 200;
    static final int PREV_VALUE_REQUIRED = 201;
    static final int TTL_NAN = 202;
    static final int INDEX_NAN = 203;
    static final int INVALID_FIELD = 209;
    static final int REFRESH_VALUE = 211;
    static final int REFRESH_TTL_REQUIRED = 212;
    static final int RAFT_INTERNAL = 300;
    static final int LEADER_ELECT = 301;
    static final int EVENT_INDEX_CLEARED = 401;

    static EtcdFailure of(int code, String cause, long index) {
        return new EtcdFailure(code, message(code), cause, index);
    }

    static EtcdFailure of(EtcdError error, long index) {
        return of(error.code(), error.cause(), index);
    }

    /** The HTTP status etcd answers an error code with. */
    @JsonIgnore
    int status() {
        return switch (errorCode) {
            case EtcdError.KEY_NOT_FOUND -> 404;
            case EtcdError.NOT_FILE, EtcdError.DIR_NOT_EMPTY -> 403;
            case EtcdError.TEST_FAILED, EtcdError.NODE_EXIST -> 412;
            case RAFT_INTERNAL, LEADER_ELECT -> 500;
            default -> 400;
        };
    }

    private static String message(int code) {
        return switch (code) {
            case EtcdError.KEY_NOT_FOUND -> "Key not found";
            case EtcdError.TEST_FAILED -> "Compare failed";
            case EtcdError.NOT_FILE -> "Not a file";
            case EtcdError.NOT_DIR -> "Not a directory";
            case EtcdError.NODE_EXIST -> "Key already exists";
            case EtcdError.ROOT_READ_ONLY -> "Root is read only";
            case EtcdError.DIR_NOT_EMPTY -> "Directory not empty";
            case VALUE_REQUIRED -> "Value is Required in POST form";
            case PREV_VALUE_REQUIRED -> "PrevValue is Required in POST form";
            case TTL_NAN -> "The given TTL in POST form is not a number";
            case INDEX_NAN -> "The given index in POST form is not a number";
            case INVALID_FIELD -> "Invalid field";
            case REFRESH_VALUE -> "Value provided on refresh";
            case REFRESH_TTL_REQUIRED -> "A TTL must be provided on refresh";
            case RAFT_INTERNAL -> "Raft Internal Error";
            case LEADER_ELECT -> "During Leader Election";
            case EVENT_INDEX_CLEARED -> "The event in requested index is outdated and cleared";
            default -> "Error";
        };
    }
}
