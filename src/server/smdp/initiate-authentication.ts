/**
 * ES9+.InitiateAuthentication (SGP.22 v2.2.2 §5.6.1) and ES11.InitiateAuthentication (§5.8.1):
 * checks the eUICC's EUICCInfo1, picks the CI both sides know, opens a session and answers
 * serverSigned1 signed with the SM-DP+'s (or SM-DS's) authentication key (docs/protocol.md §5.1
 * steps 2-3).
 */
import { encodeTlv, toBase64, toHex } from '../../codec/index.ts';
import type { CiKeyId } from '../../es10/ci-keys.ts';
import { decodeEuiccInfo1 } from '../../es10/decode.ts';
import { encodeServerSigned1 } from '../../es10/encode.ts';
import { Tag } from '../../es10/tags.ts';
import { signTr03111 } from '../../rsp/index.ts';
import type { Interface, Session, SmdpContext } from './context.ts';
import type { CiCredentials } from './credentials.ts';
import { b64Field, decodeField, fail, field, sameAddress } from './request.ts';
import { Status } from './status.ts';

export function initiateAuthentication(
  ctx: SmdpContext,
  iface: Interface,
  req: Record<string, unknown>,
): Record<string, unknown> {
  const { smdpAddress, smdsAddress } = ctx.config;
  const address = field(req, 'smdpAddress');
  const challenge = b64Field(req, 'euiccChallenge');
  const info1Der = b64Field(req, 'euiccInfo1');
  if (challenge.length !== 16) fail(Status.invalidRequest, 'euiccChallenge must be 16 bytes');
  const info1 = decodeField('euiccInfo1', () => decodeEuiccInfo1(info1Der));

  // ES11 paths serve the SM-DS only; on es9plus paths the address names the role.
  let role: 'smdp' | 'smds';
  if (iface === 'es11') {
    if (!sameAddress(address, smdsAddress))
      fail(Status.invalidSmdsAddress, 'this is not the SM-DS address');
    role = 'smds';
  } else if (sameAddress(address, smdpAddress)) role = 'smdp';
  else if (sameAddress(address, smdsAddress)) role = 'smds';
  else fail(Status.invalidAddress, 'this is not the SM-DP+ address');
  if (info1.svn.split('.')[0] !== '2')
    fail(Status.svnUnsupported, `SGP.22 v${info1.svn} is not supported`);

  const pki = commonCi(
    ctx.config.pki,
    info1.euiccCiPKIdListForSigning,
    info1.euiccCiPKIdListForVerification,
  );
  if (!pki) fail(Status.noCommonCi, 'no CI public key in common with the eUICC');

  const transactionId = ctx.config.rng(16);
  const serverChallenge = ctx.config.rng(16);
  const serverAddress = role === 'smdp' ? smdpAddress : smdsAddress;
  const serverSigned1 = encodeServerSigned1({
    transactionId,
    euiccChallenge: challenge,
    serverAddress,
    serverChallenge,
  });
  const auth = role === 'smdp' ? pki.dpAuth : pki.dsAuth;
  const signature = signTr03111(auth.key, serverSigned1);
  const session: Session = {
    iface: role,
    transactionId,
    txHex: toHex(transactionId).toUpperCase(),
    state: 'initiated',
    expiresAtMs: ctx.nowMs() + ctx.config.sessionTimeoutMs,
    euiccChallenge: challenge,
    serverChallenge,
    pki,
  };
  if (!ctx.sessions.add(session))
    fail(
      role === 'smdp' ? Status.smdpBusy : Status.smdsBusy,
      'too many sessions in progress; try again later',
    );
  return {
    transactionId: session.txHex,
    serverSigned1: toBase64(serverSigned1),
    serverSignature1: toBase64(encodeTlv(Tag.Signature, signature)),
    euiccCiPKIdToBeUsed: toBase64(encodeTlv(Tag.OctetString, pki.ci.parsed.subjectKeyId!)),
    serverCertificate: toBase64(auth.certificate),
  };
}

/**
 * The CI whose chain the eUICC signs with (euiccCiPKIdListForSigning); the verification list is
 * the fallback for eUICCs that fill only one of them.
 */
function commonCi(
  pki: readonly CiCredentials[],
  forSigning: readonly CiKeyId[],
  forVerification: readonly CiKeyId[],
): CiCredentials | undefined {
  const pick = (ids: readonly CiKeyId[]): CiCredentials | undefined =>
    pki.find((p) => {
      const ski = p.ci.parsed.subjectKeyId;
      if (ski === undefined) return false;
      const hex = toHex(ski).toUpperCase();
      return ids.some((id) => id.keyId.toUpperCase() === hex);
    });
  return pick(forSigning) ?? pick(forVerification);
}
