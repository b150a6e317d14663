/**
 * ES9+.CancelSession (SGP.22 v2.2.2 §5.6.5): verifies the eUICC's signed
 * CancelSessionResponse (docs/protocol.md §3) and ends the session. A one-time order whose
 * package was delivered stays used unless the catalogue allows its release (orders.ts).
 */
import { bytesEqual } from '../../codec/index.ts';
import { encodeOid, verifyTr03111 } from '../../rsp/index.ts';
import { decodeSignedCancelSessionResponse } from '../../es10/decode.ts';
import type { SmdpContext } from './context.ts';
import { releaseAfterCancel } from './orders.ts';
import { b64Field, decodeField, fail } from './request.ts';
import { Status } from './status.ts';

export function cancelSession(
  ctx: SmdpContext,
  req: Record<string, unknown>,
): Record<string, unknown> {
  const s = ctx.liveSession(req);
  if (!s) fail(Status.unknownTransaction, 'unknown transaction');
  const der = b64Field(req, 'cancelSessionResponse');
  const resp = decodeField('cancelSessionResponse', () => decodeSignedCancelSessionResponse(der));
  if (!resp.ok) fail(Status.euiccSignature, `the eUICC reported error ${resp.errorCode}`);
  if (!bytesEqual(resp.transactionId, s.transactionId))
    fail(Status.unknownTransaction, 'transactionId in the signed response does not match');
  if (!bytesEqual(encodeOid(resp.smdpOid), encodeOid(ctx.config.smdpOid)))
    fail(Status.invalidOid, 'smdpOid in the signed response is not this SM-DP+');
  // Before authenticateClient the server has no eUICC certificate to verify with; such a
  // session holds no order yet, so it is ended without verification.
  const verified = s.euicc
    ? verifyTr03111(s.euicc.curve, s.euicc.publicKey, resp.signed, resp.signature)
    : false;
  if (s.euicc && !verified) fail(Status.euiccSignature, 'euiccCancelSessionSignature is invalid');
  // A delivered one-time order stays used unless the catalogue says otherwise (orders.ts).
  if (s.order && s.state === 'bppDelivered') releaseAfterCancel(s.order);
  ctx.endSession(s);
  ctx.recordCancellation({
    transactionId: s.txHex,
    reason: resp.reason,
    verified,
    at: ctx.config.now().toISOString(),
  });
  return {};
}
