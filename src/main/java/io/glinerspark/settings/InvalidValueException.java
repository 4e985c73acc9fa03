package io.glinerspark.settings;

/**
 * A value that a {@link SettingType} rejects; the message says what was expected and what was given, without the
 * setting's name, which {@link Setting} adds in the spelling of the front end that read it.
 */
final class InvalidValueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidValueException(String detail) {
        super(detail);
    }

    static InvalidValueException expected(String expected, String given) {
        return new InvalidValueException("expected " + expected + ", got '" + given + "'");
    }
}
