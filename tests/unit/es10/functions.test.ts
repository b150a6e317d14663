import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import {
  cancelSession,
  deleteProfile,
  enableProfile,
  Es10Error,
  Es10FormatError,
  euiccMemoryReset,
  getEid,
  getEuiccChallenge,
  getEuiccConfiguredAddresses,
  getProfilesInfo,
  removeNotificationFromList,
  setDefaultDpAddress,
  setNickname,
} from '../../../src/es10/index.ts';
import { ScriptedLink, tlv } from './scripted-link.ts';

describe('ES10 functions over an Es10Link (request bytes from docs/protocol.md §3.3)', () => {
  it('getEid / getEuiccChallenge / getEuiccConfiguredAddresses', async () => {
    const link = new ScriptedLink([
      ['BF3E035C015A', tlv('BF3E', tlv('5A', '89049032123451234512345678901235'))],
      ['BF2E00', tlv('BF2E', tlv('80', '00'.repeat(16)))],
      ['BF3C00', tlv('BF3C', tlv('81', '6473'))],
    ]);
    expect(await getEid(link)).toBe('89049032123451234512345678901235');
    expect(toHex(await getEuiccChallenge(link))).toBe('00'.repeat(16));
    expect(await getEuiccConfiguredAddresses(link)).toEqual({ rootDsAddress: 'ds' });
    link.assertDone();
  });

  it('a 15-byte challenge is a format error', async () => {
    const link = new ScriptedLink([['BF2E00', tlv('BF2E', tlv('80', '00'.repeat(15)))]]);
    await expect(getEuiccChallenge(link)).rejects.toBeInstanceOf(Es10FormatError);
  });

  it('profile management calls succeed on ok and throw Es10Error otherwise', async () => {
    const link = new ScriptedLink([
      ['BF3111A00C5A0A980010325476981032148101FF', 'BF3103800100'],
      ['BF330C5A0A98001032547698103214', 'BF3303800102'],
      ['BF3404820205E0', 'BF3403800101'],
      [tlv('BF29', tlv('5A', '98001032547698103214'), tlv('90', '41')), 'BF2903800100'],
      [tlv('BF3F', tlv('80', '')), 'BF3F03800100'],
    ]);
    await enableProfile(link, { iccid: '89000123456789012341' }, true);
    await expect(deleteProfile(link, { iccid: '89000123456789012341' })).rejects.toMatchObject({
      fn: 'deleteProfile',
      resultName: 'profileNotInDisabledState',
    });
    await expect(
      euiccMemoryReset(link, {
        deleteOperationalProfiles: true,
        deleteFieldLoadedTestProfiles: true,
        resetDefaultSmdpAddress: true,
      }),
    ).rejects.toBeInstanceOf(Es10Error);
    await setNickname(link, '89000123456789012341', 'A');
    await setDefaultDpAddress(link, '');
    link.assertDone();
  });

  it('removeNotificationFromList: ok, nothingToDelete, error', async () => {
    const link = new ScriptedLink([
      ['BF3003800105', 'BF3003800100'],
      ['BF3003800105', 'BF3003800101'],
      ['BF3003800105', 'BF300380017F'],
    ]);
    expect(await removeNotificationFromList(link, 5)).toBe('ok');
    expect(await removeNotificationFromList(link, 5)).toBe('nothingToDelete');
    await expect(removeNotificationFromList(link, 5)).rejects.toMatchObject({
      resultName: 'undefinedError',
    });
  });

  it('cancelSession sends the reason and returns the exact signed response', async () => {
    const resp = tlv(
      'BF41',
      tlv('A0', tlv('30', '800101', '8103883701', '820105'), tlv('5F37', '00'.repeat(64))),
    );
    const link = new ScriptedLink([['BF4106800101810105', resp]]);
    const r = await cancelSession(link, fromHex('01'), 'loadBppExecutionError');
    expect(toHex(r.raw)).toBe(resp);
    expect(r.reason).toBe(5);
  });

  it('getProfilesInfo with a tag list', async () => {
    const link = new ScriptedLink([
      ['BF2D035C015A', tlv('BF2D', tlv('A0', tlv('E3', tlv('5A', '98001032547698103214'))))],
    ]);
    expect(await getProfilesInfo(link, { tags: [0x5a] })).toEqual([
      { iccid: '89000123456789012341' },
    ]);
  });
});
