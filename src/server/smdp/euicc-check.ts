/**
 * Checking the certificates an eUICC presents (authenticateClient, OtherSignedNotification):
 * the eUICC -> EUM -> CI chain against the CIs this server trusts.
 */
import { TlvError } from '../../codec/index.ts';
import {
  CertificateError,
  parseCertificate,
  verifyChain,
  type Certificate,
  type CurveName,
} from '../../rsp/index.ts';
import { fail } from './request.ts';
import { Status } from './status.ts';

/** The verified identity of an eUICC: its EID and signing key. */
export interface EuiccIdentityInfo {
  eid: string;
  curve: CurveName;
  publicKey: Uint8Array;
}

/**
 * eUICC -> EUM -> CI (SGP.22 v2.2.2 §5.6.3): EUM problems map to 8.1.2, eUICC problems
 * (including an EID outside the EUM's permitted prefixes) to 8.1.3, an EUM issued by a CI
 * this server does not know to 8.11.1/3.9.
 */
export function verifyEuiccCertificates(
  trusted: readonly Certificate[],
  now: Date,
  euiccDer: Uint8Array,
  eumDer: Uint8Array,
): EuiccIdentityInfo {
  let eum: Certificate;
  let euicc: Certificate;
  try {
    eum = parseCertificate(eumDer);
  } catch (e) {
    if (e instanceof CertificateError || e instanceof TlvError)
      fail(Status.eumCertInvalid, 'the EUM certificate is malformed');
    throw e;
  }
  try {
    euicc = parseCertificate(euiccDer);
  } catch (e) {
    if (e instanceof CertificateError || e instanceof TlvError)
      fail(Status.euiccCertInvalid, 'the eUICC certificate is malformed');
    throw e;
  }
  const eumCheck = verifyChain({ leaf: eum, trusted: trusted, role: 'eum', now });
  if (!eumCheck.ok) {
    if (eumCheck.reason === 'expired')
      fail(Status.eumCertExpired, 'the EUM certificate has expired');
    if (eumCheck.reason === 'unknownCi')
      fail(Status.unknownCi, 'the EUM certificate has an unknown CI');
    fail(Status.eumCertInvalid, `the EUM certificate is invalid (${eumCheck.reason})`);
  }
  const check = verifyChain({
    leaf: euicc,
    intermediates: [eum],
    trusted: trusted,
    role: 'euicc',
    now,
  });
  if (!check.ok) {
    if (check.reason === 'expired')
      fail(Status.euiccCertExpired, 'the eUICC certificate has expired');
    if (check.reason === 'eidOutsideEum')
      fail(Status.euiccCertInvalid, 'the EID is outside the EUM certificate range');
    fail(Status.euiccCertInvalid, `the eUICC certificate is invalid (${check.reason})`);
  }
  const eid = euicc.subject.serialNumber;
  if (eid === undefined || !/^\d{32}$/.test(eid))
    fail(Status.euiccCertInvalid, 'the eUICC certificate carries no EID');
  return { eid, curve: euicc.curve, publicKey: euicc.publicKey };
}
