/**
 * Finding a modem's AT port among its USB interfaces. Cellular modems expose several functions
 * as vendor-class (0xFF) interfaces with a bulk IN/OUT pair each: Qualcomm diagnostics (DM),
 * GNSS NMEA output, one or two AT ports, and network functions (QMI/RMNET/MBIM). CDC modems put
 * AT on a CDC-Data (0x0A) interface paired with a CDC-ACM (0x02/0x02) control interface.
 * Descriptors do not say which port speaks AT, so the interfaces are ordered by what is commonly
 * seen and then probed: claim, send ATE0 and AT, wait for OK, release and move on when silent.
 */
import { TransportClosedError } from '../transport.ts';
import { AtTransport, type AtTransportOptions } from '../webserial-at/at-transport.ts';
import type { ByteStream } from '../webserial-at/at-runner.ts';
import {
  UsbModemAccessError,
  UsbTransferError,
  classifyUsbModemError,
  errorName,
} from './errors.ts';
import {
  usbByteStream,
  type BulkPair,
  type UsbModemAlternate,
  type UsbModemDevice,
  type UsbModemInterface,
  type UsbStreamOptions,
} from './usb-stream.ts';

export const USB_CLASS_CDC_CONTROL = 0x02;
export const USB_CLASS_CDC_DATA = 0x0a;
export const USB_CLASS_VENDOR = 0xff;
/** CDC subclass Abstract Control Model (CDC 1.2 §4.3, table 4). */
const CDC_SUBCLASS_ACM = 0x02;
/** Android's ADB/fastboot functions are vendor class with subclass 0x42. */
const ANDROID_SUBCLASS = 0x42;

export interface KnownModemVendor {
  readonly vendorId: number;
  readonly name: string;
  /**
   * The vendor ID also covers many non-modem products (phones, keyboards, Bluetooth chips):
   * the chooser filter then also asks for a vendor-class interface.
   */
  readonly generic?: boolean;
  /**
   * Interface numbers commonly seen carrying AT on this vendor's modems, probed first. These
   * are observed layouts (Linux option/qcserial port maps), not facts about every product:
   * probing still decides.
   */
  readonly atInterfaces?: readonly number[];
}

/** Modem vendors shown in the chooser and used to order probing. */
export const KNOWN_MODEM_VENDORS: readonly KnownModemVendor[] = Object.freeze([
  // EC2x/EG25/EG06/RM5xx: 0 DM, 1 NMEA, 2 AT, 3 modem (AT too), 4 QMI/RMNET, commonly seen.
  { vendorId: 0x2c7c, name: 'Quectel', atInterfaces: [2, 3] },
  // Older Quectel (UC20, early EC20) under Qualcomm's IDs, same layout commonly seen.
  { vendorId: 0x05c6, name: 'Qualcomm', generic: true, atInterfaces: [2, 3] },
  // MC/EM74xx under qcserial: 0 DM, 2 NMEA, 3 AT, commonly seen.
  { vendorId: 0x1199, name: 'Sierra Wireless', atInterfaces: [3] },
  { vendorId: 0x2cb7, name: 'Fibocom' },
  { vendorId: 0x1508, name: 'Fibocom' },
  // SIM7600/SIM7100: 0 DM, 1 NMEA, 2 AT, 3 modem, commonly seen.
  { vendorId: 0x1e0e, name: 'SIMCom', atInterfaces: [2, 3] },
  { vendorId: 0x1bc7, name: 'Telit' },
  // u-blox cellular modules are CDC-ACM, so no class restriction (it would hide them).
  { vendorId: 0x1546, name: 'u-blox' },
  { vendorId: 0x12d1, name: 'Huawei', generic: true },
  { vendorId: 0x19d2, name: 'ZTE', generic: true },
  { vendorId: 0x413c, name: 'Dell', generic: true },
  { vendorId: 0x0489, name: 'Foxconn', generic: true },
]);

export function findKnownModemVendor(vendorId: number): KnownModemVendor | undefined {
  return KNOWN_MODEM_VENDORS.find((v) => v.vendorId === vendorId);
}

/** A WebUSB requestDevice filter. */
export interface UsbModemFilter {
  vendorId?: number;
  classCode?: number;
}

/**
 * Chooser filters: every known modem vendor (generic vendors only with a vendor-class
 * interface), plus any device with a vendor-class interface. WebUSB matches classCode against
 * the device class and every interface class.
 */
export function modemDeviceFilters(): UsbModemFilter[] {
  return [
    ...KNOWN_MODEM_VENDORS.map((v) =>
      v.generic ? { vendorId: v.vendorId, classCode: USB_CLASS_VENDOR } : { vendorId: v.vendorId },
    ),
    { classCode: USB_CLASS_VENDOR },
  ];
}

/** What an interface's descriptors suggest it is. */
export type InterfaceKind =
  /** Vendor class with an AT-like name, or a plain serial port (subclass/protocol not FF/FF). */
  | 'serial'
  /** CDC-Data with a CDC-ACM control interface. */
  | 'cdcData'
  /** Vendor class FF/FF/FF without an interrupt endpoint: often the Qualcomm DM/diag port. */
  | 'diagLike'
  /** Vendor class FF/FF/FF with an interrupt endpoint: usually QMI/RMNET/MBIM network data. */
  | 'networkLike'
  /** ADB/fastboot, or a name saying it is not AT. */
  | 'notAt';

export interface AtCandidate extends BulkPair {
  readonly kind: InterfaceKind;
  /** The CDC-ACM control interface paired with a CDC-Data candidate. */
  readonly controlInterface?: number;
  /** Listed as commonly carrying AT for this vendor. */
  readonly hinted: boolean;
}

function alternateZero(iface: UsbModemInterface): UsbModemAlternate | undefined {
  return iface.alternates.find((a) => a.alternateSetting === 0) ?? iface.alternates[0];
}

const AT_NAME = /\b(at|modem)\b/i;
const NOT_AT_NAME = /diag|\bdm\b|nmea|gps|gnss|adb|fastboot|qmi|rmnet|mbim|ncm|ecm|rndis/i;

function kindOf(alt: UsbModemAlternate): InterfaceKind {
  const name = alt.interfaceName ?? '';
  if (alt.interfaceSubclass === ANDROID_SUBCLASS || NOT_AT_NAME.test(name)) return 'notAt';
  if (AT_NAME.test(name)) return 'serial';
  const hasInterrupt = alt.endpoints.some((e) => e.type === 'interrupt');
  if (alt.interfaceSubclass === 0xff && alt.interfaceProtocol === 0xff) {
    return hasInterrupt ? 'networkLike' : 'diagLike';
  }
  return 'serial';
}

/** Probing order of the kinds; kinds not listed are never probed unless hinted. */
const KIND_ORDER: readonly InterfaceKind[] = ['serial', 'cdcData', 'diagLike'];

function bulkPair(interfaceNumber: number, alt: UsbModemAlternate): BulkPair | undefined {
  const ins = alt.endpoints.filter((e) => e.type === 'bulk' && e.direction === 'in');
  const outs = alt.endpoints.filter((e) => e.type === 'bulk' && e.direction === 'out');
  if (ins.length !== 1 || outs.length !== 1) return undefined;
  return { interfaceNumber, in: ins[0]!, out: outs[0]! };
}

/**
 * The interfaces of the current configuration that may carry AT, in probing order: the
 * vendor's commonly seen AT interfaces first, then serial-looking vendor interfaces, CDC-Data,
 * and diag-looking ones last. Network-looking interfaces (QMI/RMNET), ADB and interfaces named
 * as something else are left out unless hinted: writing AT text into a network function's data
 * pipe is not harmless.
 */
export function atInterfaceCandidates(device: UsbModemDevice): AtCandidate[] {
  const interfaces = device.configuration?.interfaces ?? [];
  const hints = findKnownModemVendor(device.vendorId)?.atInterfaces ?? [];
  const acmControls = interfaces
    .filter((i) => {
      const alt = alternateZero(i);
      return (
        alt?.interfaceClass === USB_CLASS_CDC_CONTROL && alt.interfaceSubclass === CDC_SUBCLASS_ACM
      );
    })
    .map((i) => i.interfaceNumber);
  const found: AtCandidate[] = [];
  for (const iface of interfaces) {
    const alt = alternateZero(iface);
    if (!alt) continue;
    const pair = bulkPair(iface.interfaceNumber, alt);
    if (!pair) continue;
    const hinted = hints.includes(iface.interfaceNumber);
    if (alt.interfaceClass === USB_CLASS_VENDOR) {
      found.push({ ...pair, kind: kindOf(alt), hinted });
    } else if (alt.interfaceClass === USB_CLASS_CDC_DATA) {
      // The union descriptor naming the pair is not visible through WebUSB; the control
      // interface just below the data interface is the usual arrangement.
      const control = acmControls.filter((n) => n < iface.interfaceNumber).at(-1);
      if (control !== undefined) {
        found.push({ ...pair, kind: 'cdcData', controlInterface: control, hinted });
      }
    }
  }
  const rank = (c: AtCandidate): number =>
    c.hinted ? hints.indexOf(c.interfaceNumber) - hints.length : KIND_ORDER.indexOf(c.kind);
  return found
    .filter((c) => c.hinted || KIND_ORDER.includes(c.kind))
    .sort((a, b) => rank(a) - rank(b) || a.interfaceNumber - b.interfaceNumber);
}

/** What probing one interface ended in. */
export type ProbeOutcome = 'at' | 'silent' | 'busy' | 'accessDenied' | 'transferError';

export interface OpenAtInterfaceOptions {
  /** How long one interface may take to answer OK (ms, default 1500). */
  probeTimeoutMs?: number;
  /** Probe only this interface (for a modem whose layout the heuristics miss). */
  interfaceNumber?: number;
  /** Each probed interface and its outcome, for logs. */
  onProbe?: (interfaceNumber: number, outcome: ProbeOutcome) => void;
  /** Bytes per IN transfer (see UsbStreamOptions.readSize). */
  readSize?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 1500;

/** Line ends after which a final result code of V.250 §5.7.1 / 27.007 §9.2 stands alone. */
const LINE = /([^\r\n]*)(\r\n|\r|\n)/y;

/**
 * Reads the probe's answers, keeping a transfer still pending at a timeout and any bytes after
 * the last final result so the AT transport that takes over loses nothing.
 */
class ProbeReader {
  #stream: ByteStream;
  #inflight: Promise<Uint8Array | undefined> | undefined;
  #text = '';
  #ended = false;

  constructor(stream: ByteStream) {
    this.#stream = stream;
  }

  /** Resolves the first final result ('OK', 'ERROR', '+CME ERROR: n') or undefined at `deadline`. */
  async final(deadline: number): Promise<string | undefined> {
    for (;;) {
      LINE.lastIndex = 0;
      let m: RegExpExecArray | null;
      let consumed = 0;
      while ((m = LINE.exec(this.#text)) !== null) {
        consumed = LINE.lastIndex;
        const line = (m[1] ?? '').trim();
        if (line === 'OK' || line === 'ERROR' || /^\+CM[ES] ERROR:/.test(line)) {
          this.#text = this.#text.slice(consumed);
          return line;
        }
      }
      this.#text = this.#text.slice(consumed);
      if (this.#ended) return undefined;
      const chunk = await this.#next(deadline);
      if (chunk === 'timeout') return undefined;
      if (chunk === undefined) {
        this.#ended = true;
        throw new TransportClosedError('the USB modem was disconnected');
      }
      for (const b of chunk) this.#text += String.fromCharCode(b);
    }
  }

  async #next(deadline: number): Promise<Uint8Array | undefined | 'timeout'> {
    if (!this.#inflight) {
      const p = this.#stream.read();
      // Observed here or by the stream handed on; never an unhandled rejection.
      p.catch(() => undefined);
      this.#inflight = p;
    }
    const inflight = this.#inflight;
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, left);
    });
    try {
      const r = await Promise.race([inflight, timeout]);
      if (r !== 'timeout') this.#inflight = undefined;
      return r;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A stream that first yields what the probe read past its last answer, then `stream`'s. */
  handOver(close: () => Promise<void>): ByteStream {
    let leftover: Uint8Array | undefined =
      this.#text.length > 0 ? Uint8Array.from(this.#text, (c) => c.charCodeAt(0)) : undefined;
    let inflight = this.#inflight;
    const stream = this.#stream;
    return {
      read: () => {
        if (leftover) {
          const l = leftover;
          leftover = undefined;
          return Promise.resolve(l);
        }
        if (inflight) {
          const p = inflight;
          inflight = undefined;
          return p;
        }
        return stream.read();
      },
      write: (bytes) => stream.write(bytes),
      close,
    };
  }
}

async function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T | 'timeout'> {
  p.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(
      () => {
        resolve('timeout');
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const encoder = new TextEncoder();

/**
 * SET_CONTROL_LINE_STATE with DTR and RTS (CDC PSTN 1.2 §6.3.12, bRequest 0x22, wValue bit 0
 * DTR, bit 1 RTS): some CDC modems only answer once the host raises DTR.
 */
async function raiseDtr(device: UsbModemDevice, control: number): Promise<void> {
  await device.controlTransferOut({
    requestType: 'class',
    recipient: 'interface',
    request: 0x22,
    value: 0x03,
    index: control,
  });
}

interface Claimed {
  candidate: AtCandidate;
  /** Releases the interface(s); closes nothing else. */
  release: () => Promise<void>;
  stream: ByteStream;
}

/** Claims the candidate (and its CDC control interface, best effort). */
async function claim(
  device: UsbModemDevice,
  candidate: AtCandidate,
  readSize: number | undefined,
): Promise<Claimed> {
  await device.claimInterface(candidate.interfaceNumber);
  let controlClaimed = false;
  if (candidate.controlInterface !== undefined) {
    try {
      await device.claimInterface(candidate.controlInterface);
      controlClaimed = true;
      await raiseDtr(device, candidate.controlInterface);
    } catch {
      // Many CDC modems answer without DTR; the data interface alone may still work.
    }
  }
  const streamOptions: UsbStreamOptions = { closeDevice: false };
  if (readSize !== undefined) streamOptions.readSize = readSize;
  const stream = usbByteStream(device, candidate, streamOptions);
  return {
    candidate,
    stream,
    release: async () => {
      await stream.close();
      if (controlClaimed && candidate.controlInterface !== undefined) {
        await device.releaseInterface(candidate.controlInterface).catch(() => undefined);
      }
    },
  };
}

/** Sends `command` and waits for its final result; undefined when none came by `deadline`. */
async function ask(
  stream: ByteStream,
  reader: ProbeReader,
  command: string,
  deadline: number,
): Promise<string | undefined> {
  if ((await withDeadline(stream.write(encoder.encode(`${command}\r`)), deadline)) === 'timeout')
    return undefined;
  return reader.final(deadline);
}

/**
 * ATE0 then AT, each with `timeoutMs` to answer: the port speaks AT when either answers OK
 * (ATE0 may meet a half line left in the modem's buffer and answer ERROR; AT then answers OK).
 */
async function speaksAt(
  claimed: Claimed,
  reader: ProbeReader,
  timeoutMs: number,
): Promise<boolean> {
  const first = await ask(claimed.stream, reader, 'ATE0', Date.now() + timeoutMs);
  if (first === undefined) return false;
  const second = await ask(claimed.stream, reader, 'AT', Date.now() + timeoutMs);
  return first === 'OK' || second === 'OK';
}

/** The AT port found: a stream over it (closing it closes the device) and its interface. */
export interface AtInterface {
  readonly stream: ByteStream;
  readonly interfaceNumber: number;
  readonly kind: InterfaceKind;
}

/**
 * Opens `device` (if it is not open), selects configuration 1 when none is set and probes the
 * AT candidates in order. Resolves with a stream over the first interface that answers OK;
 * everything else is released. Fails with UsbModemAccessError: accessDenied / busy when
 * interfaces could not be claimed (and none answered), noAtInterface when none answered,
 * disconnected when the device went away. On failure the device is closed.
 */
export async function openAtInterface(
  device: UsbModemDevice,
  options: OpenAtInterfaceOptions = {},
): Promise<AtInterface> {
  try {
    if (!device.opened) await device.open();
  } catch (err) {
    throw classifyUsbModemError(err, 'open') ?? err;
  }
  try {
    return await probeAll(device, options);
  } catch (err) {
    await device.close().catch(() => undefined);
    throw err;
  }
}

async function probeAll(
  device: UsbModemDevice,
  options: OpenAtInterfaceOptions,
): Promise<AtInterface> {
  if (!device.configuration) {
    try {
      await device.selectConfiguration(1);
    } catch (err) {
      throw classifyUsbModemError(err, 'open') ?? err;
    }
  }
  let candidates = atInterfaceCandidates(device);
  if (options.interfaceNumber !== undefined) {
    const wanted = options.interfaceNumber;
    const all = device.configuration?.interfaces ?? [];
    const iface = all.find((i) => i.interfaceNumber === wanted);
    const alt = iface && alternateZero(iface);
    const pair = alt && bulkPair(wanted, alt);
    candidates = pair ? [{ ...pair, kind: 'serial', hinted: true }] : [];
  }
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  let refused: UsbModemAccessError | undefined;
  for (const candidate of candidates) {
    const n = candidate.interfaceNumber;
    let claimed: Claimed;
    try {
      claimed = await claim(device, candidate, options.readSize);
    } catch (err) {
      const access = classifyUsbModemError(err, 'claim');
      if (!access) throw err;
      if (access.reason === 'disconnected') throw access;
      if (access.reason === 'accessDenied' || !refused) refused = access;
      options.onProbe?.(n, access.reason === 'busy' ? 'busy' : 'accessDenied');
      continue;
    }
    const reader = new ProbeReader(claimed.stream);
    let ok: boolean;
    try {
      ok = await speaksAt(claimed, reader, timeoutMs);
    } catch (err) {
      await claimed.release();
      if (err instanceof TransportClosedError || errorName(err) === 'NotFoundError') {
        throw new UsbModemAccessError('disconnected', { cause: err });
      }
      // A stalled or babbling endpoint, or one the host controller reports a transfer error
      // on (NetworkError), is not an AT port worth keeping.
      if (!(err instanceof UsbTransferError) && errorName(err) !== 'NetworkError') throw err;
      options.onProbe?.(n, 'transferError');
      continue;
    }
    if (!ok) {
      await claimed.release();
      options.onProbe?.(n, 'silent');
      continue;
    }
    options.onProbe?.(n, 'at');
    let closing: Promise<void> | undefined;
    const stream = reader.handOver(() => {
      closing ??= (async () => {
        await claimed.release();
        await device.close().catch(() => undefined);
      })();
      return closing;
    });
    return { stream, interfaceNumber: n, kind: candidate.kind };
  }
  throw refused ?? new UsbModemAccessError('noAtInterface');
}

function modemLabel(device: UsbModemDevice, interfaceNumber: number): string {
  const name = device.productName ?? findKnownModemVendor(device.vendorId)?.name ?? 'USB modem';
  return `${name} (USB AT, interface ${interfaceNumber})`;
}

/**
 * Finds the AT port of `device` (see openAtInterface) and starts an AtTransport on it. Closing
 * the transport releases the interface and closes the device.
 */
export async function openUsbModemTransport(
  device: UsbModemDevice,
  options: AtTransportOptions & OpenAtInterfaceOptions = {},
): Promise<AtTransport> {
  const at = await openAtInterface(device, options);
  return AtTransport.open(at.stream, {
    ...options,
    label: options.label ?? modemLabel(device, at.interfaceNumber),
  });
}
