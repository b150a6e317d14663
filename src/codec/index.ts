export * from './bytes.ts';
export * from './errors.ts';
export * from './hex.ts';
export * from './base64.ts';
export * from './bcd.ts';
export * from './tlv.ts';
