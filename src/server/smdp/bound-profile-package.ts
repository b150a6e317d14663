/**
 * ES9+.GetBoundProfilePackage (SGP.22 v2.2.2 §5.6.2): verifies the eUICC's
 * PrepareDownloadResponse (euiccSignature2 over euiccSigned2 || smdpSignature2, the
 * confirmation code's hashCc), takes the order and answers the Bound Profile Package built for
 * the eUICC's one-time key (docs/protocol.md §5.1 steps 11-12, §5.2). A retried call with the
 * same eUICC answer in the same session gets the same package again.
 */
import { bytesEqual, concat, encodeEid, toBase64 } from '../../codec/index.ts';
import { RspCryptoError, validatePublicKey, verifyTr03111 } from '../../rsp/index.ts';
import { encodeMinimalProfile } from '../../rsp/saip.ts';
import { decodeSignedPrepareDownloadResponse } from '../../es10/decode.ts';
import { computeHashCc } from '../../es10/encode.ts';
import { buildBoundProfilePackage } from './bpp.ts';
import type { Session, SmdpContext } from './context.ts';
import { ccGate, recordRightCode, recordWrongCode, type OrderState } from './orders.ts';
import { b64Field, decodeField, fail } from './request.ts';
import { Status } from './status.ts';

/** hashCc = SHA-256(SHA-256(code) || transactionId) (SGP.22 v2.2.2 §3.1.3), as the LPA computes it. */
export const hashConfirmationCode = computeHashCc;

export function getBoundProfilePackage(
  ctx: SmdpContext,
  req: Record<string, unknown>,
): Record<string, unknown> {
  const cached = ctx.liveSession(req);
  const der = b64Field(req, 'prepareDownloadResponse');
  // A retried call with the same eUICC answer gets the same package (lost response).
  if (
    cached?.state === 'bppDelivered' &&
    cached.bppCache &&
    bytesEqual(cached.bppCache.request, der)
  )
    return { transactionId: cached.txHex, boundProfilePackage: toBase64(cached.bppCache.bpp) };
  const s = ctx.session(req, 'authenticated');
  const resp = decodeField('prepareDownloadResponse', () =>
    decodeSignedPrepareDownloadResponse(der),
  );
  if (!resp.ok) {
    ctx.endSession(s);
    fail(Status.euiccSignature, `the eUICC refused the download (error ${resp.errorCode})`);
  }
  const euicc = s.euicc!;
  const state = s.order!;
  const signed = resp.euiccSigned2;
  if (!bytesEqual(signed.transactionId, s.transactionId))
    fail(Status.unknownTransaction, 'transactionId in euiccSigned2 does not match');
  if (
    !verifyTr03111(
      euicc.curve,
      euicc.publicKey,
      concat(signed.raw, s.smdpSignature2Tlv!),
      resp.euiccSignature2,
    )
  )
    fail(Status.euiccSignature, 'euiccSignature2 is invalid');
  const code = state.order.confirmationCode;
  if (code !== undefined) {
    if (!signed.hashCc) fail(Status.ccMissing, 'a confirmation code is required');
    checkConfirmationCode(ctx, s, state, signed.hashCc, code);
  }
  if (!state.order.reusable && state.used) {
    ctx.endSession(s);
    fail(Status.matchingIdRefused, 'the order was already used');
  }
  if (state.order.expiresAt && state.order.expiresAt.getTime() <= ctx.nowMs()) {
    ctx.endSession(s);
    fail(Status.orderExpired, 'the download order has expired');
  }
  const dpPb = s.pki.dpPb.key;
  if (!validatePublicKey(dpPb.curve, signed.euiccOtpk))
    fail(Status.euiccSignature, 'the eUICC one-time key is not a point on the curve');
  let bpp: Uint8Array;
  try {
    bpp = buildBoundProfilePackage({
      transactionId: s.transactionId,
      dpPb,
      euiccOtpk: signed.euiccOtpk,
      eid: encodeEid(euicc.eid),
      metadata: s.metadata!,
      profile: profileFor(ctx, state, s.iccid!),
      replaceSessionKeys: state.order.replaceSessionKeys ?? false,
      rng: ctx.config.rng,
    }).bpp;
  } catch (e) {
    if (e instanceof RspCryptoError)
      fail(Status.euiccSignature, 'the eUICC one-time key is not usable');
    throw e;
  }
  state.downloads++;
  state.used = true;
  s.state = 'bppDelivered';
  s.bppCache = { request: der, bpp };
  return { transactionId: s.txHex, boundProfilePackage: toBase64(bpp) };
}

/**
 * The confirmation code, limited per order over all sessions (orders.ts): a locked order or
 * an attempt inside the back-off gets 8.2.7/6.4 without the code being checked.
 */
function checkConfirmationCode(
  ctx: SmdpContext,
  s: Session,
  state: OrderState,
  hashCc: Uint8Array,
  code: string,
): void {
  const nowMs = ctx.nowMs();
  const gate = ccGate(state, nowMs);
  if (gate.kind === 'locked') {
    ctx.endSession(s);
    fail(Status.ccRetriesExceeded, 'too many wrong confirmation codes: the order is locked');
  }
  if (gate.kind === 'backoff')
    fail(
      Status.ccRetriesExceeded,
      `too many wrong confirmation codes: try again after ${gate.retryAt.toISOString()}`,
    );
  if (bytesEqual(hashCc, hashConfirmationCode(code, s.transactionId))) {
    recordRightCode(state);
    return;
  }
  if (recordWrongCode(state, nowMs, ctx.config.ccPolicy)) {
    ctx.endSession(s);
    fail(Status.ccRetriesExceeded, 'too many wrong confirmation codes: the order is locked');
  }
  fail(Status.ccRefused, 'wrong confirmation code');
}

/** The profile package of an order: a file's bytes, or a generated minimal profile (cached). */
function profileFor(ctx: SmdpContext, state: OrderState, iccid: string): Uint8Array {
  const p = state.order.profile;
  if (p.kind === 'bytes') return p.data;
  const key = `${iccid}/${p.sizeBytes}`;
  let bytes = ctx.profileCache.get(key);
  if (!bytes) {
    bytes = encodeMinimalProfile({
      iccid,
      profileType: 'WebLPA test profile',
      size: p.sizeBytes,
    });
    ctx.profileCache.set(key, bytes);
  }
  return bytes;
}
