/**
 * ES10c (SGP.22 v2.2.2 §5.7): local profile management (GetProfilesInfo, Enable, Disable,
 * Delete, SetNickname, eUICCMemoryReset), GetEID and GetRAT.
 */
import {
  children,
  decodeBitString,
  decodeIccid,
  decodeUnsigned,
  encodeBitString,
  encodeIccid,
  encodeTlv,
  find,
  fromHex,
  required,
  toHex,
} from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { encodeEidResponse, encodeResultResponse } from '../es10/encode.ts';
import { Es10Tag, ProfileInfoTag, Tag } from '../es10/tags.ts';
import { intTlv, requestFields, strict, text, utf8Tlv } from './der.ts';
import { StatusWordError } from './errors.ts';
import { SW } from './iso7816.ts';
import { UNDEFINED_ERROR } from './isd-r-context.ts';
import type { Es10Result, IsdRContext } from './isd-r-context.ts';
import { encodeOtherSignedNotification } from './notifications.ts';
import type { NotificationRecord, ProfileRecord } from './state.ts';

/** The Tags GetProfilesInfo returns without a tag list (real cards include the icon). */
const DEFAULT_PROFILE_TAGS = [
  ProfileInfoTag.iccid,
  ProfileInfoTag.isdpAid,
  ProfileInfoTag.profileState,
  ProfileInfoTag.profileNickname,
  ProfileInfoTag.serviceProviderName,
  ProfileInfoTag.profileName,
  ProfileInfoTag.iconType,
  ProfileInfoTag.icon,
  ProfileInfoTag.profileClass,
  ProfileInfoTag.notificationConfigurationInfo,
  ProfileInfoTag.profileOwner,
  ProfileInfoTag.dpProprietaryData,
  ProfileInfoTag.profilePolicyRules,
];

/** GetEID: `BF3E { 5A eid }`, or an empty `BF3E` when the tag list leaves the EID out. */
export function handleGetEid(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.GetEid);
  const tagList = find(f, Tag.TagList);
  if (tagList && !parseTagList(tagList.value).includes(Tag.Eid)) return encodeTlv(Es10Tag.GetEid);
  return encodeEidResponse(ctx.id.eid);
}

export function handleGetRat(ctx: IsdRContext): Uint8Array {
  const rules = ctx.state.config.rat.map((r) => {
    const ops = r.operators.map((op) => {
      const f = [encodeTlv(0x80, fromHex(op.mccMnc))];
      if (op.gid1 !== undefined) f.push(encodeTlv(0x81, fromHex(op.gid1)));
      if (op.gid2 !== undefined) f.push(encodeTlv(0x82, fromHex(op.gid2)));
      return encodeTlv(Tag.Sequence, ...f);
    });
    return encodeTlv(
      Tag.Sequence,
      encodeTlv(0x80, encodeBitString(r.pprIds)),
      encodeTlv(0xa1, ...ops),
      encodeTlv(0x82, encodeBitString(r.consentRequired ? [0] : [])),
    );
  });
  return encodeTlv(Es10Tag.GetRat, encodeTlv(0xa0, ...rules));
}
/** A signed notification for `event` if the profile's configuration lists it (docs/protocol.md §8). */
function notificationFor(
  ctx: IsdRContext,
  profile: ProfileRecord,
  event: number,
  seq: number,
): NotificationRecord | undefined {
  const entry = profile.notificationConfig.find((c) => c.events.includes(event));
  if (!entry) return undefined;
  const pending = encodeOtherSignedNotification(ctx.id, seq, event, entry.address, profile.iccid);
  return {
    seqNumber: seq,
    event,
    address: entry.address,
    iccid: profile.iccid,
    pending: toHex(pending),
  };
}

// ---- ES10c: local profile management -------------------------------------------------

function findProfile(
  ctx: IsdRContext,
  choice: Pick<Tlv, 'tag' | 'value'>,
): ProfileRecord | undefined {
  if (choice.tag === Tag.Aid) {
    const aid = toHex(choice.value);
    return ctx.state.profiles.find((p) => p.isdpAid === aid);
  }
  if (choice.tag === Tag.Iccid) {
    let iccid: string;
    try {
      iccid = decodeIccid(choice.value);
    } catch {
      return undefined;
    }
    return ctx.state.profiles.find((p) => p.iccid === iccid);
  }
  throw new StatusWordError(SW.WRONG_DATA, 'profile identifier must be 4F or 5A');
}

function profileChoice(
  ctx: IsdRContext,
  request: Uint8Array,
  tag: number,
): { choice: Tlv; refresh: boolean } {
  const f = requestFields(request, tag);
  return strict(() => {
    const wrapper = required(f, 0xa0);
    const inner = children(wrapper);
    if (inner.length !== 1) throw new TypeError('one profile identifier expected');
    const refresh = find(f, 0x81);
    return { choice: inner[0]!, refresh: refresh ? refresh.value[0] !== 0 : false };
  });
}

export function handleEnableProfile(ctx: IsdRContext, request: Uint8Array): Es10Result {
  const { choice, refresh } = profileChoice(ctx, request, Es10Tag.EnableProfile);
  const reply = (code: number, sw: number = SW.OK): Es10Result => ({
    data: encodeResultResponse(Es10Tag.EnableProfile, code),
    sw,
  });
  // Removable cards that cannot ask the terminal for a refresh (lpac issues #13/#14).
  if (refresh && ctx.personality?.refreshAfterEnable) return reply(UNDEFINED_ERROR);
  const target = findProfile(ctx, choice);
  if (!target) return reply(1);
  if (target.state === 'enabled') return reply(2);
  const current = ctx.state.profiles.find((p) => p.state === 'enabled');
  // Enabling B disables A, which PPR1 on A forbids.
  if (current?.ppr.includes(1)) return reply(3);
  let seq = ctx.state.nextSeqNumber;
  const added: NotificationRecord[] = [];
  if (current) {
    const n = notificationFor(ctx, current, 2, seq);
    if (n) {
      added.push(n);
      seq++;
    }
  }
  const n = notificationFor(ctx, target, 1, seq);
  if (n) {
    added.push(n);
    seq++;
  }
  ctx.state.profiles = ctx.state.profiles.map((p) =>
    p === target ? { ...p, state: 'enabled' } : p === current ? { ...p, state: 'disabled' } : p,
  );
  ctx.state.notifications = [...ctx.state.notifications, ...added];
  ctx.state.nextSeqNumber = seq;
  ctx.lastRefreshRequested = refresh;
  return reply(0, refresh && ctx.state.config.proactiveRefresh ? 0x9110 : SW.OK);
}

export function handleDisableProfile(ctx: IsdRContext, request: Uint8Array): Es10Result {
  const { choice, refresh } = profileChoice(ctx, request, Es10Tag.DisableProfile);
  const reply = (code: number, sw: number = SW.OK): Es10Result => ({
    data: encodeResultResponse(Es10Tag.DisableProfile, code),
    sw,
  });
  const target = findProfile(ctx, choice);
  if (!target) return reply(1);
  if (target.state !== 'enabled') return reply(2);
  if (target.ppr.includes(1)) return reply(3);
  const seq = ctx.state.nextSeqNumber;
  const n = notificationFor(ctx, target, 2, seq);
  ctx.state.profiles = ctx.state.profiles.map((p) =>
    p === target ? { ...p, state: 'disabled' } : p,
  );
  if (n) {
    ctx.state.notifications = [...ctx.state.notifications, n];
    ctx.state.nextSeqNumber = seq + 1;
  }
  ctx.lastRefreshRequested = refresh;
  return reply(0, refresh && ctx.state.config.proactiveRefresh ? 0x9110 : SW.OK);
}

export function handleDeleteProfile(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.DeleteProfile);
  if (f.length !== 1) throw new StatusWordError(SW.WRONG_DATA, 'one profile identifier expected');
  const reply = (code: number): Uint8Array => encodeResultResponse(Es10Tag.DeleteProfile, code);
  const target = findProfile(ctx, f[0]!);
  if (!target) return reply(1);
  if (target.state !== 'disabled') return reply(2);
  if (target.ppr.includes(2)) return reply(3);
  const seq = ctx.state.nextSeqNumber;
  const n = notificationFor(ctx, target, 3, seq);
  ctx.state.profiles = ctx.state.profiles.filter((p) => p !== target);
  if (n) {
    ctx.state.notifications = [...ctx.state.notifications, n];
    ctx.state.nextSeqNumber = seq + 1;
  }
  return reply(0);
}

export function handleSetNickname(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.SetNickname);
  const { iccidValue, nickname } = strict(() => ({
    iccidValue: required(f, Tag.Iccid).value,
    nickname: required(f, 0x90).value,
  }));
  const reply = (code: number): Uint8Array => encodeResultResponse(Es10Tag.SetNickname, code);
  const target = findProfile(ctx, { tag: Tag.Iccid, value: iccidValue });
  if (!target) return reply(1);
  if (nickname.length > 64) return reply(UNDEFINED_ERROR);
  const name = text(nickname);
  ctx.state.profiles = ctx.state.profiles.map((p) => {
    if (p !== target) return p;
    const { nickname: _old, ...rest } = p;
    return name === '' ? rest : { ...rest, nickname: name };
  });
  return reply(0);
}

export function handleMemoryReset(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.EuiccMemoryReset);
  const options = strict(() => decodeBitString(required(f, 0x82).value));
  // Bits: 0 deleteOperationalProfiles, 1 deleteFieldLoadedTestProfiles,
  // 2 resetDefaultSmdpAddress. Policy rules do not apply to a memory reset.
  const removeClass = (cls: number): boolean =>
    (cls === 2 && options.includes(0)) || (cls === 0 && options.includes(1));
  const kept = ctx.state.profiles.filter((p) => !removeClass(p.profileClass));
  let changed = kept.length !== ctx.state.profiles.length;
  const clearAddress = options.includes(2) && ctx.state.defaultDpAddress !== undefined;
  changed ||= clearAddress;
  ctx.state.profiles = kept;
  if (clearAddress) delete ctx.state.defaultDpAddress;
  return encodeResultResponse(Es10Tag.EuiccMemoryReset, changed ? 0 : 1);
}

export function handleGetProfilesInfo(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.GetProfilesInfo);
  const error = (): Uint8Array => encodeTlv(Es10Tag.GetProfilesInfo, intTlv(0x81, 1));
  let profiles = ctx.state.profiles;
  const criteria = find(f, 0xa0);
  if (criteria) {
    let c: Tlv[];
    try {
      c = children(criteria);
    } catch {
      return error();
    }
    const one = c[0];
    if (c.length !== 1 || !one) return error();
    if (one.tag === Tag.Aid) {
      const aid = toHex(one.value);
      profiles = profiles.filter((p) => p.isdpAid === aid);
    } else if (one.tag === Tag.Iccid) {
      const iccid = safeIccid(one.value);
      if (iccid === undefined) return error();
      profiles = profiles.filter((p) => p.iccid === iccid);
    } else if (one.tag === ProfileInfoTag.profileClass) {
      let cls: number;
      try {
        cls = decodeUnsigned(one.value);
      } catch {
        return error();
      }
      profiles = profiles.filter((p) => p.profileClass === cls);
    } else {
      return error();
    }
  }
  const tagListTlv = find(f, Tag.TagList);
  let tags: number[] = DEFAULT_PROFILE_TAGS;
  if (tagListTlv) {
    try {
      tags = parseTagList(tagListTlv.value);
    } catch {
      return error();
    }
  }
  return encodeTlv(
    Es10Tag.GetProfilesInfo,
    encodeTlv(
      0xa0,
      ...profiles.map((p) => encodeTlv(Tag.ProfileInfo, ...storedProfileInfoFields(p, tags))),
    ),
  );
}

function safeIccid(value: Uint8Array): string | undefined {
  try {
    return decodeIccid(value);
  } catch {
    return undefined;
  }
}

/**
 * ProfileInfo fields of a stored profile in ASN.1 order, restricted to `tags`. Kept apart from
 * the LPA's `encodeProfileInfo` (src/es10/encode.ts) on purpose: the card answers from its
 * stored records, filters by the request's tag list, and echoes profileOwner and
 * dpProprietaryData as the raw TLVs the Bound Profile Package carried, which a decoded
 * `ProfileInfo` does not keep byte for byte.
 */
function storedProfileInfoFields(p: ProfileRecord, tags: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const want = (t: number): boolean => tags.includes(t);
  if (want(ProfileInfoTag.iccid))
    out.push(encodeTlv(Tag.Iccid, encodeIccid(p.iccid, { checkLuhn: false })));
  if (want(ProfileInfoTag.isdpAid)) out.push(encodeTlv(Tag.Aid, fromHex(p.isdpAid)));
  if (want(ProfileInfoTag.profileState))
    out.push(intTlv(ProfileInfoTag.profileState, p.state === 'enabled' ? 1 : 0));
  if (want(ProfileInfoTag.profileNickname) && p.nickname !== undefined)
    out.push(utf8Tlv(0x90, p.nickname));
  if (want(ProfileInfoTag.serviceProviderName) && p.serviceProviderName !== undefined)
    out.push(utf8Tlv(0x91, p.serviceProviderName));
  if (want(ProfileInfoTag.profileName) && p.profileName !== undefined)
    out.push(utf8Tlv(0x92, p.profileName));
  if (want(ProfileInfoTag.iconType) && p.iconType !== undefined) out.push(intTlv(0x93, p.iconType));
  if (want(ProfileInfoTag.icon) && p.icon !== undefined) out.push(encodeTlv(0x94, fromHex(p.icon)));
  if (want(ProfileInfoTag.profileClass)) out.push(intTlv(0x95, p.profileClass));
  if (want(ProfileInfoTag.notificationConfigurationInfo) && p.notificationConfig.length > 0)
    out.push(
      encodeTlv(
        0xb6,
        ...p.notificationConfig.map((c) =>
          encodeTlv(
            Tag.Sequence,
            encodeTlv(0x80, encodeBitString(c.events)),
            utf8Tlv(0x81, c.address),
          ),
        ),
      ),
    );
  if (want(ProfileInfoTag.profileOwner) && p.profileOwner !== undefined)
    out.push(fromHex(p.profileOwner));
  if (want(ProfileInfoTag.dpProprietaryData) && p.dpProprietaryData !== undefined)
    out.push(fromHex(p.dpProprietaryData));
  if (want(ProfileInfoTag.profilePolicyRules) && p.ppr.length > 0)
    out.push(encodeTlv(0x99, encodeBitString(p.ppr)));
  return out;
}

/** A `5C` tag list: the concatenated encodings of the wanted tags (docs/protocol.md §3.1). */
export function parseTagList(value: Uint8Array): number[] {
  const tags: number[] = [];
  let i = 0;
  while (i < value.length) {
    const first = value[i++]!;
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      for (let n = 0; ; n++) {
        if (i >= value.length || n > 2) throw new TypeError('truncated tag in tag list');
        const b = value[i++]!;
        tag = tag * 256 + b;
        if ((b & 0x80) === 0) break;
      }
    }
    tags.push(tag);
  }
  return tags;
}
