/**
 * ES10a/b/c: typed functions over an Es10Link, named as SGP.22 names them, plus the request
 * encoders and response decoders they use (shared with card implementations and tests).
 */
export * from './tags.ts';
export * from './types.ts';
export * from './results.ts';
export * from './errors.ts';
export * from './ci-keys.ts';
export * from './primitives.ts';
export * from './encode.ts';
export * from './decode.ts';
export * from './bpp.ts';
export * from './es10a.ts';
export * from './es10b.ts';
export * from './es10c.ts';
