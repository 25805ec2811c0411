package io.eqlwatch.eql.ast;

/** The part of a query before its pipes. */
public sealed interface QueryBody permits EventQuery, SequenceQuery, SampleQuery {}
