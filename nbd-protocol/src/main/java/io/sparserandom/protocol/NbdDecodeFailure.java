package io.sparserandom.protocol;

/** Input that cannot be decoded: a value passed down the pipeline, not an exception. */
public record NbdDecodeFailure(String message) {}
