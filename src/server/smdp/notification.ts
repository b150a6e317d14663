/**
 * ES9+.HandleNotification (SGP.22 v2.2.2 §5.6.4): always 204. An install notification
 * (ProfileInstallationResult, docs/protocol.md §5.3) is verified with the key of its session's
 * eUICC; the others (OtherSignedNotification, docs/protocol.md §8) with the certificates they
 * carry. The record says whether it verified and whether it replays one already handled
 * (replay.ts); only a verified first delivery changes the order's counters.
 */
import { TlvError, bytesEqual, toHex } from '../../codec/index.ts';
import { decodeSignedPendingNotification } from '../../es10/decode.ts';
import { encodeOid, verifyTr03111 } from '../../rsp/index.ts';
import type { SmdpContext } from './context.ts';
import { verifyEuiccCertificates } from './euicc-check.ts';
import { eventKey, installKey } from './replay.ts';
import { b64Field, decodeField } from './request.ts';
import { SmdpError } from './status.ts';

export function handleNotification(ctx: SmdpContext, req: Record<string, unknown>): void {
  const der = b64Field(req, 'pendingNotification');
  const n = decodeField('pendingNotification', () => {
    const decoded = decodeSignedPendingNotification(der);
    // This server checks the OID of an install result: one without it is malformed here.
    if (decoded.kind === 'profileInstallationResult' && decoded.result.smdpOid === undefined)
      throw new TlvError('ProfileInstallationResultData has no smdpOid', 0);
    return decoded;
  });
  const metadata =
    n.kind === 'profileInstallationResult' ? n.result.notificationMetadata : n.metadata;
  const base = {
    receivedAt: ctx.config.now().toISOString(),
    seqNumber: metadata.seqNumber,
    ...(metadata.iccid !== undefined ? { iccid: metadata.iccid } : {}),
  };
  if (n.kind === 'profileInstallationResult') {
    const pir = n.result;
    const txHex = toHex(pir.transactionId).toUpperCase();
    const live = ctx.sessions.get(txHex);
    const known = live?.euicc ? { euicc: live.euicc, order: live.order } : ctx.completed.get(txHex);
    const final = pir.finalResult;
    const result = final.ok
      ? { success: true }
      : { success: false, bppCommandId: final.bppCommandId, errorReason: final.errorReason };
    if (!known) {
      ctx.recordNotification({
        ...base,
        kind: 'install',
        verified: false,
        problem: 'unknown transaction',
        transactionId: txHex,
        result,
      });
      return;
    }
    const sigOk = verifyTr03111(known.euicc.curve, known.euicc.publicKey, n.signed, n.signature);
    const oidOk = bytesEqual(encodeOid(pir.smdpOid!), encodeOid(ctx.config.smdpOid));
    const verified = sigOk && oidOk;
    const duplicate =
      verified && ctx.replays.replayed(installKey(known.euicc.eid, base.seqNumber, txHex));
    ctx.recordNotification({
      ...base,
      kind: 'install',
      verified,
      ...(verified ? {} : { problem: sigOk ? 'smdpOid mismatch' : 'invalid signature' }),
      eid: known.euicc.eid,
      transactionId: txHex,
      result,
      ...(duplicate ? { duplicate: true as const } : {}),
    });
    if (verified && !duplicate) {
      if (live) ctx.endSession(live);
      const order = known.order;
      if (order) {
        if (final.ok) {
          order.installs++;
          ctx.deleteEvent(known.euicc.eid, order.order.matchingId);
        } else if (order.installs === 0) {
          // A failed installation returns a one-time order to the pool.
          order.used = false;
        }
      }
    }
    return;
  }
  let verified = false;
  let problem: string | undefined;
  let eid: string | undefined;
  try {
    const euicc = verifyEuiccCertificates(
      ctx.config.trusted,
      ctx.config.now(),
      n.euiccCertificate,
      n.eumCertificate,
    );
    eid = euicc.eid;
    verified = verifyTr03111(euicc.curve, euicc.publicKey, n.signed, n.signature);
    if (!verified) problem = 'invalid signature';
  } catch (e) {
    if (!(e instanceof SmdpError)) throw e;
    problem = e.message;
  }
  const kind = metadata.profileManagementOperation;
  const duplicate =
    verified && eid !== undefined && ctx.replays.replayed(eventKey(eid, base.seqNumber, kind));
  ctx.recordNotification({
    ...base,
    kind,
    verified,
    ...(problem !== undefined ? { problem } : {}),
    ...(eid !== undefined ? { eid } : {}),
    ...(duplicate ? { duplicate: true as const } : {}),
  });
}
