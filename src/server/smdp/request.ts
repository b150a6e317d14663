/**
 * Reading the JSON request of an ES9+/ES11 call: every problem becomes an SmdpError with the
 * status codes status.ts documents (missing -> 1.6/2.2, wrong type or encoding -> 1.6/2.1).
 */
import { CodecError, TlvError, fromBase64 } from '../../codec/index.ts';
import { Es10FormatError } from '../../es10/errors.ts';
import { SmdpError, Status, type StatusCode } from './status.ts';

export function fail(code: StatusCode, message: string): never {
  throw new SmdpError(code, message);
}

/** A string field of the JSON request (missing -> 1.6/2.2). */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (v === undefined || v === null) fail(Status.missingField, `${name} is missing`);
  if (typeof v !== 'string') fail(Status.invalidRequest, `${name} must be a string`);
  return v;
}

/** A base64 field (bad base64 or empty -> 1.6/2.1). */
export function b64Field(body: Record<string, unknown>, name: string): Uint8Array {
  const text = field(body, name);
  try {
    const bytes = fromBase64(text);
    if (bytes.length === 0) fail(Status.invalidRequest, `${name} is empty`);
    return bytes;
  } catch (e) {
    if (e instanceof CodecError) fail(Status.invalidRequest, `${name} is not valid base64`);
    throw e;
  }
}

/**
 * Runs a DER decoder (the shared ES10 codec, src/es10), mapping malformed input to 1.6/2.1
 * naming the field.
 */
export function decodeField<T>(name: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof TlvError || e instanceof CodecError)
      fail(Status.invalidRequest, `${name} is not valid DER: ${e.message}`);
    if (e instanceof Es10FormatError) {
      const why = e.cause instanceof Error ? e.cause.message : e.detail;
      fail(Status.invalidRequest, `${name} is not valid DER: ${why}`);
    }
    throw e;
  }
}

export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
