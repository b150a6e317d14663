export function qrPng(text: string, width?: number): Promise<Buffer>;
export function qrY4m(
  text: string,
  options?: { width?: number; height?: number; frames?: number; scale?: number },
): Buffer;
export function writeFixtures(outDir: string, text: string): Promise<{ png: string; y4m: string }>;
