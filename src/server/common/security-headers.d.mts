export declare const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>>;
export declare const PERMISSIONS_POLICY: Readonly<Record<string, readonly string[]>>;
export declare function serializeCsp(
  directives: Readonly<Record<string, readonly string[]>>,
): string;
export declare function serializePermissionsPolicy(
  policy: Readonly<Record<string, readonly string[]>>,
): string;
export declare const SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare function securityHeadersFor(serviceUrls: readonly string[]): Record<string, string>;
export declare const DEV_SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare const IWA_SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare function staticHostHeadersFile(): string;
