package dev.netsym.model;

/** A trainable value, with how it starts and where it first appears. */
public record Parameter(String name, Init init, SourcePos pos) {}
