/**
 * What the ES10 layer needs from the APDU layer: send one ES10 request (a DER object such as
 * BF2D...) to the selected ISD-R as STORE DATA blocks and get the complete response bytes.
 * `IsdR` (isd-r.ts) implements it over a Card; tests may implement it directly.
 */
export interface Es10Link {
  /** One ES10 function call: request DER in, response DER out (empty for a bare 9000). */
  es10(request: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
}
