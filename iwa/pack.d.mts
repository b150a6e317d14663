import type { KeyObject } from 'node:crypto';

export declare const IWA_MANIFEST_PATH: string;
export declare const IWA_PERMISSIONS_POLICY: Record<string, string[]>;
export interface IwaManifest {
  name: string;
  id: string;
  start_url: string;
  version: string;
  isolated: boolean;
  permissions_policy: Record<string, string[]>;
  [key: string]: unknown;
}
export declare function iwaManifest(
  pwaManifest?: Record<string, unknown>,
  version?: string,
): IwaManifest;
export declare function loadSigningKey(options: {
  env?: Record<string, string | undefined>;
  devKeyFile: string;
}): { key: KeyObject; source: string };
export declare function packIwa(options: {
  appDir: string;
  outFile: string;
  key: KeyObject;
  version?: string;
}): Promise<{ bundleId: string; origin: string; bytes: number; manifest: IwaManifest }>;
