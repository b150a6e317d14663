/** ES10c (LPA -> ISD-R, local profile management), docs/protocol.md §3. */
import type { Es10Link } from '../apdu/es10-link.ts';
import { decodeEidResponse, decodeProfileInfoListResponse, expectOk } from './decode.ts';
import {
  encodeDeleteProfileRequest,
  encodeDisableProfileRequest,
  encodeEnableProfileRequest,
  encodeEuiccMemoryResetRequest,
  encodeGetEidRequest,
  encodeGetProfilesInfoRequest,
  encodeSetNicknameRequest,
} from './encode.ts';
import type { GetProfilesInfoRequest } from './encode.ts';
import { Es10Tag } from './tags.ts';
import type { EuiccMemoryResetOptions, ProfileInfo, ProfileRef } from './types.ts';

/** GetProfilesInfo (`BF2D`), optionally filtered and with a tag list. */
export async function getProfilesInfo(
  link: Es10Link,
  request: GetProfilesInfoRequest = {},
  signal?: AbortSignal,
): Promise<ProfileInfo[]> {
  return decodeProfileInfoListResponse(
    await link.es10(encodeGetProfilesInfoRequest(request), signal),
  );
}

/** EnableProfile (`BF31`). Throws Es10Error (e.g. profileNotInDisabledState) unless ok. */
export async function enableProfile(
  link: Es10Link,
  ref: ProfileRef,
  refreshFlag = false,
  signal?: AbortSignal,
): Promise<void> {
  const res = await link.es10(encodeEnableProfileRequest(ref, refreshFlag), signal);
  expectOk('enableProfile', res, Es10Tag.EnableProfile);
}

/** DisableProfile (`BF32`). */
export async function disableProfile(
  link: Es10Link,
  ref: ProfileRef,
  refreshFlag = false,
  signal?: AbortSignal,
): Promise<void> {
  const res = await link.es10(encodeDisableProfileRequest(ref, refreshFlag), signal);
  expectOk('disableProfile', res, Es10Tag.DisableProfile);
}

/** DeleteProfile (`BF33`); the profile must be disabled. */
export async function deleteProfile(
  link: Es10Link,
  ref: ProfileRef,
  signal?: AbortSignal,
): Promise<void> {
  const res = await link.es10(encodeDeleteProfileRequest(ref), signal);
  expectOk('deleteProfile', res, Es10Tag.DeleteProfile);
}

/** eUICCMemoryReset (`BF34`). */
export async function euiccMemoryReset(
  link: Es10Link,
  options: EuiccMemoryResetOptions,
  signal?: AbortSignal,
): Promise<void> {
  const res = await link.es10(encodeEuiccMemoryResetRequest(options), signal);
  expectOk('euiccMemoryReset', res, Es10Tag.EuiccMemoryReset);
}

/** GetEID (`BF3E`): the 32-digit EID. */
export async function getEid(link: Es10Link, signal?: AbortSignal): Promise<string> {
  return decodeEidResponse(await link.es10(encodeGetEidRequest(), signal));
}

/** SetNickname (`BF29`). */
export async function setNickname(
  link: Es10Link,
  iccid: string,
  nickname: string,
  signal?: AbortSignal,
): Promise<void> {
  const res = await link.es10(encodeSetNicknameRequest(iccid, nickname), signal);
  expectOk('setNickname', res, Es10Tag.SetNickname);
}
