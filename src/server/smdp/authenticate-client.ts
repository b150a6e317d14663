/**
 * ES9+.AuthenticateClient (SGP.22 v2.2.2 §5.6.3) and ES11.AuthenticateClient (§5.8.2): verifies
 * the eUICC's AuthenticateServerResponse (certificate chain, euiccSignature1, challenge and
 * address), then either releases a download order with its metadata and smdpSigned2
 * (docs/protocol.md §5.1 steps 6-8) or, for an SM-DS session, answers the events registered
 * for the EID.
 */
import {
  bytesEqual,
  concat,
  encodeIccid,
  encodeTlv,
  luhnCheckDigit,
  toBase64,
} from '../../codec/index.ts';
import {
  decodeSignedAuthenticateServerResponse,
  type SignedAuthenticateServerResponse,
} from '../../es10/decode.ts';
import { encodeSmdpSigned2, encodeStoreMetadata } from '../../es10/encode.ts';
import { Tag } from '../../es10/tags.ts';
import { signTr03111, verifyTr03111 } from '../../rsp/index.ts';
import type { Interface, Session, SmdpContext } from './context.ts';
import { verifyEuiccCertificates, type EuiccIdentityInfo } from './euicc-check.ts';
import { isAvailable, type OrderState } from './orders.ts';
import { b64Field, decodeField, fail, sameAddress } from './request.ts';
import { Status } from './status.ts';

export function authenticateClient(
  ctx: SmdpContext,
  iface: Interface,
  req: Record<string, unknown>,
): Record<string, unknown> {
  const s = ctx.session(req, 'initiated');
  if (iface === 'es11' && s.iface !== 'smds')
    fail(Status.unknownTransaction, 'unknown transaction');
  const der = b64Field(req, 'authenticateServerResponse');
  const resp = decodeField('authenticateServerResponse', () =>
    decodeSignedAuthenticateServerResponse(der),
  );
  if (!resp.ok) {
    ctx.endSession(s);
    fail(Status.euiccSignature, `the eUICC refused authentication (error ${resp.errorCode})`);
  }
  const signed = resp.euiccSigned1;
  if (!bytesEqual(signed.transactionId, s.transactionId))
    fail(Status.unknownTransaction, 'transactionId in euiccSigned1 does not match');
  const euicc = verifyEuiccCertificates(
    ctx.config.trusted,
    ctx.config.now(),
    resp.euiccCertificate,
    resp.eumCertificate,
  );
  if (!verifyTr03111(euicc.curve, euicc.publicKey, signed.raw, resp.euiccSignature1))
    fail(Status.euiccSignature, 'euiccSignature1 is invalid');
  if (!bytesEqual(signed.serverChallenge, s.serverChallenge))
    fail(Status.euiccSignature, 'serverChallenge does not match');
  const expectedAddress = s.iface === 'smdp' ? ctx.config.smdpAddress : ctx.config.smdsAddress;
  if (!sameAddress(signed.serverAddress, expectedAddress))
    fail(Status.invalidAddress, 'serverAddress in euiccSigned1 does not match');

  if (s.iface === 'smds') {
    const eventEntries = ctx.eventsFor(euicc.eid);
    s.euicc = euicc;
    ctx.endSession(s);
    return { transactionId: s.txHex, eventEntries };
  }
  return releaseOrder(ctx, s, resp, euicc);
}

/** The order a verified eUICC asks for (by matchingId, or by EID when none is given). */
function findOrder(ctx: SmdpContext, matchingId: string, eid: string): OrderState {
  if (matchingId === '') {
    for (const o of ctx.orders.values()) if (o.order.eid === eid && isAvailable(o)) return o;
    fail(Status.noEligibleProfile, 'no pending order for this EID');
  }
  const state = ctx.orders.get(matchingId.toUpperCase());
  if (!state) fail(Status.matchingIdRefused, 'unknown matchingId');
  return state;
}

/** Order checks, metadata and smdpSigned2 for a verified eUICC. */
function releaseOrder(
  ctx: SmdpContext,
  s: Session,
  resp: Extract<SignedAuthenticateServerResponse, { ok: true }>,
  euicc: EuiccIdentityInfo,
): Record<string, unknown> {
  const state = findOrder(ctx, resp.euiccSigned1.matchingId ?? '', euicc.eid);
  const order = state.order;
  if (order.expiresAt && order.expiresAt.getTime() <= ctx.nowMs())
    fail(Status.orderExpired, 'the download order has expired');
  if (!isAvailable(state)) fail(Status.matchingIdRefused, 'the order was already used');
  if (order.eid !== undefined && order.eid !== euicc.eid)
    fail(Status.eidMismatch, 'the order is bound to another EID');
  if (order.confirmationCode !== undefined && state.ccLocked)
    fail(Status.ccRetriesExceeded, 'too many wrong confirmation codes: the order is locked');

  const iccid = iccidFor(state);
  const metadata = encodeStoreMetadata({
    iccid: iccidBytesFor(state, iccid),
    serviceProviderName: order.metadata.serviceProviderName,
    profileName: order.metadata.profileName,
    ...(order.metadata.icon
      ? { iconType: order.metadata.icon.type, icon: order.metadata.icon.data }
      : {}),
    ...(order.metadata.profileClass ? { profileClass: order.metadata.profileClass } : {}),
    // One notification address per event, this SM-DP+ (docs/protocol.md §8).
    notificationConfigurationInfo: (['install', 'enable', 'disable', 'delete'] as const).map(
      (event) => ({
        profileManagementOperation: [event],
        notificationAddress: ctx.config.smdpAddress,
      }),
    ),
    ...(order.metadata.ppr ? { profilePolicyRules: order.metadata.ppr } : {}),
  });
  const ccRequired = order.confirmationCode !== undefined;
  const smdpSigned2 = encodeSmdpSigned2({
    transactionId: s.transactionId,
    ccRequiredFlag: ccRequired,
  });
  const signature2 = signTr03111(s.pki.dpPb.key, concat(smdpSigned2, resp.euiccSignature1Tlv));
  const signature2Tlv = encodeTlv(Tag.Signature, signature2);
  // All checks passed: commit the session's new state in one step.
  state.issued++;
  ctx.sessions.authenticated(s);
  Object.assign(s, {
    state: 'authenticated',
    euicc,
    order: state,
    iccid,
    metadata,
    ccRequired,
    smdpSignature2Tlv: signature2Tlv,
  } satisfies Partial<Session>);
  return {
    transactionId: s.txHex,
    profileMetadata: toBase64(metadata),
    smdpSigned2: toBase64(smdpSigned2),
    smdpSignature2: toBase64(signature2Tlv),
    smdpCertificate: toBase64(s.pki.dpPb.certificate),
  };
}

/**
 * Reusable generated orders get a distinct ICCID per released session (an eUICC refuses a
 * second profile with the same ICCID): the last four payload digits count up from the
 * catalogue's value, and the Luhn digit is recomputed.
 */
function iccidFor(state: OrderState): string {
  const base = state.order.iccid;
  const n = state.issued;
  if (!state.order.reusable || state.order.profile.kind !== 'generated' || n === 0) return base;
  const payload = base.slice(0, base.length - 1);
  const last4 = (Number(payload.slice(-4)) + n) % 10000;
  const next = payload.slice(0, -4) + String(last4).padStart(4, '0');
  return next + luhnCheckDigit(next);
}

/**
 * The StoreMetadata ICCID (SGP.22 v2.2.2 §5.5.3: the eUICC compares it with the package's
 * ProfileHeader). A package file's header bytes go as they are, in the encoding the package
 * uses; only generated profiles are encoded here.
 */
function iccidBytesFor(state: OrderState, iccid: string): Uint8Array {
  const p = state.order.profile;
  return p.kind === 'bytes' && p.iccid ? p.iccid.bytes : encodeIccid(iccid);
}
