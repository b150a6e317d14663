/**
 * The software eUICC as a card in vpcd's reader: power and reset as a real card has them, and
 * the state file kept in step with the card.
 *
 * Power off, power on and reset (cold or warm) all end the card's volatile state, as they do
 * on a real card: logical channels other than the basic one are closed, selections, STORE DATA
 * buffers and pending GET RESPONSE data are gone, and the ISD-R's RSP session (ES8+/ES9+
 * session keys, the challenge, a prepared download) is lost. A Bound Profile Package cut off by
 * a reset is discarded whole and leaves the signed "interrupted" ProfileInstallationResult as a
 * pending notification (src/euicc/isd-r.ts resetSession); no part of the profile is installed.
 * So the first command after power-up meets a clean card, and an LPA that retries or cancels
 * sees the session gone.
 *
 * The state file holds the card's persistent state only: no download session and no one-time
 * key, because nothing volatile survives a power loss (unlike the CLI's file, which models a
 * card that stays powered between commands). It is written durably (src/server/cli/stack.ts
 * writeFileDurably) after every APDU or control byte that changed the persistent state and
 * before the response goes back to vpcd, so a response an LPA acts on is on disk first. The eUICC
 * applies an ES10 function as a whole when it completes, so a save never sees half a change.
 * When a save fails, the card goes back to the last saved state (as after a power loss) and
 * the APDU is answered 6581 (memory failure), so vpcd's client never acts on a change that was
 * not stored.
 */
import type { SoftwareEuicc } from '../../euicc/index.ts';
import { toHex } from '../../codec/index.ts';
import { VPCD_CONTROL } from './framing.ts';

/** SW 6581: memory failure (ISO/IEC 7816-4 §5.6, Table 6). */
const SW_MEMORY_FAILURE = Uint8Array.of(0x65, 0x81);
/** SW 6F00: no precise diagnosis. */
const SW_NO_PRECISE_DIAGNOSIS = Uint8Array.of(0x6f, 0x00);

/** The persistent part of the card's state as the state file holds it. */
export function persistentStateText(euicc: SoftwareEuicc): string {
  const { session: _session, ...state } = euicc.exportState();
  return JSON.stringify(state, null, 2) + '\n';
}

export interface ServedCardOptions {
  euicc: SoftwareEuicc;
  /** The ATR given for control byte 4 (src/server/vpcd/atr.ts). */
  atr: Uint8Array;
  /** The state file's text as it was loaded (saved again only when the card's state differs). */
  loadedText: string;
  /** Writes the state file durably; throws when it could not. */
  save: (text: string) => void;
  /** A card from saved state text, for going back after a failed save. */
  reload: (text: string) => SoftwareEuicc;
  log: (line: string) => void;
}

export class ServedCard {
  private euiccNow: SoftwareEuicc;
  private savedText: string;
  private poweredNow = false;
  private savesNow = 0;

  constructor(private readonly o: ServedCardOptions) {
    this.euiccNow = o.euicc;
    this.savedText = o.loadedText;
    // The card starts unpowered: a session kept in the file (by the CLI) does not survive.
    this.euiccNow.reset();
    this.sync('load');
  }

  get euicc(): SoftwareEuicc {
    return this.euiccNow;
  }

  get powered(): boolean {
    return this.poweredNow;
  }

  /** State file writes so far. */
  get saves(): number {
    return this.savesNow;
  }

  /** One message from vpcd; returns the answer to send, or undefined when none is due. */
  handle(message: Uint8Array): Uint8Array | undefined {
    if (message.length === 0) {
      this.o.log('vpcd: empty message ignored');
      return undefined;
    }
    if (message.length === 1) return this.control(message[0]!);
    return this.apdu(message);
  }

  /** The card left the reader (connection lost, serving stopped): its power is gone. */
  removed(): void {
    this.powerLoss('removed');
    this.poweredNow = false;
  }

  private control(byte: number): Uint8Array | undefined {
    switch (byte) {
      case VPCD_CONTROL.POWER_OFF:
        this.o.log('vpcd: power off');
        this.powerLoss('power off');
        this.poweredNow = false;
        return undefined;
      case VPCD_CONTROL.POWER_ON:
        // A cold reset: whatever the card held in RAM is gone, even when it was still powered.
        this.o.log('vpcd: power on');
        this.powerLoss('power on');
        this.poweredNow = true;
        return undefined;
      case VPCD_CONTROL.RESET:
        this.o.log('vpcd: reset');
        this.powerLoss('reset');
        this.poweredNow = true;
        return undefined;
      case VPCD_CONTROL.GET_ATR:
        // vpcd also asks for the ATR to see whether the card is still there: no state change.
        return this.o.atr.slice();
      default:
        this.o.log(`vpcd: unknown control byte ${byte} ignored`);
        return undefined;
    }
  }

  private apdu(command: Uint8Array): Uint8Array {
    if (!this.poweredNow) {
      // vpcd powers the card before use; a command to an unpowered card is taken as a power-up.
      this.o.log(
        `vpcd: command ${toHex(command.subarray(0, 4))} to an unpowered card: powering up`,
      );
      this.powerLoss('power on');
      this.poweredNow = true;
    }
    let response: Uint8Array;
    try {
      response = this.euiccNow.transmit(command);
    } catch (e) {
      // Only fault injection makes transmit throw (a removed card); answer as a card would.
      this.o.log(`vpcd: the eUICC failed: ${(e as Error).message}`);
      response = SW_NO_PRECISE_DIAGNOSIS.slice();
    }
    return this.sync(`APDU ${toHex(command.subarray(0, 4))}`)
      ? response
      : SW_MEMORY_FAILURE.slice();
  }

  /** Power lost (off, reset, removal): volatile state ends; an interrupted install is recorded. */
  private powerLoss(why: string): void {
    this.euiccNow.reset();
    this.sync(why);
  }

  /**
   * Saves when the persistent state changed. Returns false when the save failed: the card is
   * then back at the last saved state, with its volatile state gone as after a reset.
   */
  private sync(why: string): boolean {
    const text = persistentStateText(this.euiccNow);
    if (text === this.savedText) return true;
    try {
      this.o.save(text);
    } catch (e) {
      this.o.log(
        `vpcd: saving the eUICC state failed (${(e as Error).message}); the card goes back to the last saved state`,
      );
      this.euiccNow = this.o.reload(this.savedText);
      this.euiccNow.reset();
      return false;
    }
    this.savedText = text;
    this.savesNow++;
    this.o.log(`vpcd: state saved (${why})`);
    return true;
  }
}
