/**
 * ES10a (SGP.22 v2.2.2 §5.7.3, §5.7.4): the eUICC's configured addresses.
 */
import { encodeTlv, required } from '../codec/index.ts';
import { encodeResultResponse } from '../es10/encode.ts';
import { Es10Tag } from '../es10/tags.ts';
import { requestFields, strict, text, utf8Tlv } from './der.ts';
import { UNDEFINED_ERROR } from './isd-r-context.ts';
import type { IsdRContext } from './isd-r-context.ts';

/** GetEuiccConfiguredAddresses (SGP.22 v2.2.2 §5.7.3). */
export function handleGetConfiguredAddresses(ctx: IsdRContext): Uint8Array {
  const parts: Uint8Array[] = [];
  if (ctx.state.defaultDpAddress !== undefined)
    parts.push(utf8Tlv(0x80, ctx.state.defaultDpAddress));
  parts.push(utf8Tlv(0x81, ctx.state.rootDsAddress));
  return encodeTlv(Es10Tag.GetEuiccConfiguredAddresses, ...parts);
}

/** SetDefaultDpAddress (SGP.22 v2.2.2 §5.7.4). */
export function handleSetDefaultDpAddress(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.SetDefaultDpAddress);
  const address = text(strict(() => required(f, 0x80)).value);
  const reply = (code: number): Uint8Array =>
    encodeResultResponse(Es10Tag.SetDefaultDpAddress, code);
  // An FQDN: printable, no spaces, at most 255 characters. Empty clears the address.
  let unprintable = false;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x24 /* $ ends an activation code field */)
      unprintable = true;
  }
  if (address.length > 255 || unprintable) return reply(UNDEFINED_ERROR);
  if (address === '') delete ctx.state.defaultDpAddress;
  else ctx.state.defaultDpAddress = address;
  return reply(0);
}
