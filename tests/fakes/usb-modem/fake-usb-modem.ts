/**
 * A fake cellular modem at the WebUSB transfer level: a USBDevice-like object whose interfaces
 * behave like a Quectel EG25-style composite device (layout commonly seen with the Linux option
 * driver): if0 Qualcomm DM/diag (answers binary frames), if1 GNSS NMEA (emits sentences, never
 * OK), if2 AT, if3 modem AT, if4 QMI/RMNET network (FF/FF/FF with an interrupt endpoint). A CDC
 * layout (02/02 control + 0A data) is available too. AT interfaces are backed by the byte-level
 * fake modem of tests/fakes/serial/fake-at-modem.ts (card behind it: the software eUICC or any
 * card function).
 *
 * USB behaviour modelled: bytes written to an OUT endpoint reach the function only when the
 * transfer ends in a short packet (a transfer of whole packets needs a zero-length packet);
 * a halted endpoint answers 'stall' until clearHalt; releaseInterface/close cancel pending IN
 * transfers (AbortError); unplugging rejects everything with NotFoundError and fires
 * 'disconnect' at the fake navigator.usb. Chrome's refusals: claimInterface NetworkError (busy),
 * SecurityError (denied), open SecurityError "Access denied.".
 */
import { FakeAtModem, type CardFn, type FakeModemOptions } from '../serial/fake-at-modem.ts';
import type {
  UsbModemAlternate,
  UsbModemConfiguration,
  UsbModemControlSetup,
  UsbModemDevice,
  UsbModemEndpoint,
  UsbModemInResult,
  UsbModemInterface,
  UsbModemOutResult,
} from '../../../src/transport/webusb-at/usb-stream.ts';

export type InterfaceRole = 'dm' | 'gnss' | 'at' | 'qmi' | 'cdcControl' | 'cdcData';

export const EG25_LAYOUT: readonly InterfaceRole[] = ['dm', 'gnss', 'at', 'at', 'qmi'];
export const CDC_LAYOUT: readonly InterfaceRole[] = ['cdcControl', 'cdcData'];

export interface FakeUsbModemOptions {
  card: CardFn;
  /** Roles of interfaces 0, 1, ... (default EG25_LAYOUT). */
  layout?: readonly InterfaceRole[];
  vendorId?: number;
  productId?: number;
  productName?: string;
  /** wMaxPacketSize of the bulk endpoints: 64 (full speed) or 512 (high speed). Default 512. */
  packetSize?: number;
  /** Interfaces whose claimInterface rejects with NetworkError (held by a kernel driver). */
  busy?: readonly number[];
  /** Interfaces whose claimInterface rejects with SecurityError. */
  denied?: readonly number[];
  /** open() rejects with SecurityError "Access denied." (no OS permission on the device node). */
  openDenied?: boolean;
  /** Starts with no configuration selected (configuration null until selectConfiguration). */
  unconfigured?: boolean;
  /** The fake modem's mode and other options for every AT interface. */
  modem?: Omit<FakeModemOptions, 'card'>;
  /** Unplug instead of answering the first AT command line for which this returns true. */
  disconnectWhen?: (line: string) => boolean;
  /** CDC data interfaces stay silent until SET_CONTROL_LINE_STATE raises DTR. */
  requireDtr?: boolean;
  /** Milliseconds to hold back the answer to an AT command line (default none). */
  answerDelayMs?: (line: string) => number;
  /** Milliseconds between NMEA sentences on the GNSS interface (default 20). */
  nmeaIntervalMs?: number;
}

/** One recorded transfer on a bulk endpoint (length: bytes moved; 0 for a ZLP). */
export interface RecordedTransfer {
  readonly direction: 'in' | 'out';
  readonly interfaceNumber: number;
  readonly length: number;
}

function domError(name: string, message: string): DOMException {
  return new DOMException(message, name);
}

interface Waiter {
  resolve: (r: UsbModemInResult) => void;
  reject: (e: unknown) => void;
  length: number;
}

/** The device side of one interface: what its IN endpoint has to give and what OUT receives. */
class FunctionPort {
  readonly queue: number[] = [];
  waiter: Waiter | undefined;
  /** Bytes of an OUT transfer not yet ended by a short packet. */
  pendingOut: number[] = [];
  haltedIn = false;
  haltedOut = false;
  stallIn = 0;
  stallOut = 0;
  timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly interfaceNumber: number,
    readonly role: InterfaceRole,
  ) {}

  push(bytes: Iterable<number>): void {
    for (const b of bytes) this.queue.push(b);
    this.flush();
  }

  flush(): void {
    const w = this.waiter;
    if (!w || this.queue.length === 0) return;
    this.waiter = undefined;
    const chunk = Uint8Array.from(this.queue.splice(0, w.length));
    w.resolve({ status: 'ok', data: new DataView(chunk.buffer) });
  }

  cancel(error: unknown): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(error);
  }
}

/** navigator.usb for tests: requestDevice answers with the fake (or a cancelled chooser). */
export class FakeUsb extends EventTarget {
  /** Filters passed to each requestDevice call. */
  readonly requests: USBDeviceRequestOptions[] = [];
  /** The chooser is dismissed: requestDevice rejects with NotFoundError. */
  cancelled = false;

  constructor(readonly device: FakeUsbModem) {
    super();
    device.usb = this;
  }

  requestDevice(options: USBDeviceRequestOptions): Promise<FakeUsbModem> {
    this.requests.push(options);
    if (this.cancelled) return Promise.reject(domError('NotFoundError', 'No device selected.'));
    return Promise.resolve(this.device);
  }

  getDevices(): Promise<FakeUsbModem[]> {
    return Promise.resolve(this.device.unplugged ? [] : [this.device]);
  }
}

export class FakeUsbModem implements UsbModemDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly manufacturerName = 'Fake';
  opened = false;
  configuration: UsbModemConfiguration | null;
  readonly configurations: readonly UsbModemConfiguration[];
  unplugged = false;
  usb: FakeUsb | undefined;

  /** Fake modems behind the AT interfaces, by interface number. */
  readonly modems = new Map<number, FakeAtModem>();
  /** Bulk transfers in order. */
  readonly transfers: RecordedTransfer[] = [];
  /** Interfaces claimed / released, in order. */
  readonly claims: number[] = [];
  readonly releases: number[] = [];
  /** Bytes written to each interface (to show probing never touched one). */
  readonly written = new Map<number, number>();
  readonly clearHalts: { direction: 'in' | 'out'; endpointNumber: number }[] = [];
  readonly controlRequests: UsbModemControlSetup[] = [];
  closeCount = 0;

  readonly #options: FakeUsbModemOptions;
  readonly #claimed = new Set<number>();
  readonly #ports = new Map<number, FunctionPort>();
  readonly #dtr = new Set<number>();
  readonly #packetSize: number;

  constructor(options: FakeUsbModemOptions) {
    this.#options = options;
    this.vendorId = options.vendorId ?? 0x2c7c;
    this.productId = options.productId ?? 0x0125;
    this.productName = options.productName ?? 'EG25-G';
    this.#packetSize = options.packetSize ?? 512;
    const layout = options.layout ?? EG25_LAYOUT;
    const interfaces = layout.map((role, i) => this.#describe(role, i));
    const config: UsbModemConfiguration = { configurationValue: 1, interfaces };
    this.configurations = [config];
    this.configuration = options.unconfigured ? null : config;
    layout.forEach((role, i) => {
      const port = new FunctionPort(i, role);
      this.#ports.set(i, port);
      if (role === 'at' || role === 'cdcData') {
        const modem = new FakeAtModem({ ...options.modem, card: options.card });
        modem.attach((text) => {
          if (!this.unplugged) port.push(latin1(text));
        });
        this.modems.set(i, modem);
      }
    });
  }

  #describe(role: InterfaceRole, i: number): UsbModemInterface {
    const ep = (
      endpointNumber: number,
      direction: 'in' | 'out',
      type: UsbModemEndpoint['type'],
    ): UsbModemEndpoint => ({
      endpointNumber,
      direction,
      type,
      packetSize: type === 'bulk' ? this.#packetSize : 16,
    });
    const bulk = [ep(i + 1, 'in', 'bulk'), ep(i + 1, 'out', 'bulk')];
    const interrupt = ep(i + 9, 'in', 'interrupt');
    const alt = (
      cls: number,
      sub: number,
      proto: number,
      endpoints: UsbModemEndpoint[],
    ): UsbModemAlternate => ({
      alternateSetting: 0,
      interfaceClass: cls,
      interfaceSubclass: sub,
      interfaceProtocol: proto,
      interfaceName: null,
      endpoints,
    });
    const alternates: Record<InterfaceRole, UsbModemAlternate> = {
      dm: alt(0xff, 0xff, 0xff, bulk),
      gnss: alt(0xff, 0x00, 0x00, [interrupt, ...bulk]),
      at: alt(0xff, 0x00, 0x00, [interrupt, ...bulk]),
      qmi: alt(0xff, 0xff, 0xff, [interrupt, ...bulk]),
      cdcControl: alt(0x02, 0x02, 0x01, [interrupt]),
      cdcData: alt(0x0a, 0x00, 0x00, bulk),
    };
    return { interfaceNumber: i, alternates: [alternates[role]] };
  }

  /** The next `count` transfers on interface `n`'s bulk IN (or OUT) endpoint stall. */
  stall(n: number, direction: 'in' | 'out', count = 1): void {
    const port = this.#port(n);
    if (direction === 'in') port.stallIn = count;
    else port.stallOut = count;
  }

  #port(n: number): FunctionPort {
    const p = this.#ports.get(n);
    if (!p) throw new Error(`no interface ${n}`);
    return p;
  }

  /** The modem is pulled out: everything pending and later rejects, 'disconnect' fires. */
  unplug(): void {
    if (this.unplugged) return;
    this.unplugged = true;
    this.opened = false;
    for (const p of this.#ports.values()) {
      clearInterval(p.timer);
      p.cancel(domError('NotFoundError', 'The device was disconnected.'));
    }
    this.usb?.dispatchEvent(Object.assign(new Event('disconnect'), { device: this }));
  }

  #check(): void {
    if (this.unplugged) throw domError('NotFoundError', 'The device was disconnected.');
    if (!this.opened) throw domError('InvalidStateError', 'The device must be opened first.');
  }

  /** The claimed interface owning bulk endpoint `endpointNumber`. */
  #endpointPort(endpointNumber: number): FunctionPort {
    this.#check();
    const n = endpointNumber - 1;
    if (!this.#claimed.has(n) || !this.#ports.has(n)) {
      throw domError(
        'NotFoundError',
        'The specified endpoint is not part of a claimed and selected alternate interface.',
      );
    }
    return this.#port(n);
  }

  open(): Promise<void> {
    if (this.unplugged)
      return Promise.reject(domError('NotFoundError', 'The device was disconnected.'));
    if (this.#options.openDenied)
      return Promise.reject(domError('SecurityError', 'Access denied.'));
    this.opened = true;
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closeCount++;
    for (const n of [...this.#claimed]) await this.releaseInterface(n);
    this.opened = false;
  }

  selectConfiguration(value: number): Promise<void> {
    try {
      this.#check();
    } catch (e) {
      return rejection(e);
    }
    const c = this.configurations.find((x) => x.configurationValue === value);
    if (!c) return Promise.reject(domError('NotFoundError', 'Configuration not found.'));
    this.configuration = c;
    return Promise.resolve();
  }

  claimInterface(n: number): Promise<void> {
    try {
      this.#check();
    } catch (e) {
      return rejection(e);
    }
    if (!this.configuration)
      return Promise.reject(domError('InvalidStateError', 'No configuration is selected.'));
    if (this.#options.busy?.includes(n))
      return Promise.reject(domError('NetworkError', 'Unable to claim interface.'));
    if (this.#options.denied?.includes(n))
      return Promise.reject(domError('SecurityError', 'Access denied.'));
    if (!this.#ports.has(n))
      return Promise.reject(domError('NotFoundError', 'Interface not found.'));
    this.claims.push(n);
    this.#claimed.add(n);
    const port = this.#port(n);
    if (port.role === 'gnss') {
      port.timer = setInterval(() => {
        port.push(latin1('$GPGSV,1,1,00*79\r\n'));
      }, this.#options.nmeaIntervalMs ?? 20);
    }
    return Promise.resolve();
  }

  releaseInterface(n: number): Promise<void> {
    if (!this.#claimed.has(n)) return Promise.resolve();
    this.#claimed.delete(n);
    this.releases.push(n);
    const port = this.#port(n);
    clearInterval(port.timer);
    port.timer = undefined;
    port.queue.length = 0;
    port.pendingOut = [];
    this.#lineBuffers.delete(n);
    port.cancel(domError('AbortError', 'The transfer was cancelled.'));
    return Promise.resolve();
  }

  transferIn(endpointNumber: number, length: number): Promise<UsbModemInResult> {
    let port: FunctionPort;
    try {
      port = this.#endpointPort(endpointNumber);
    } catch (e) {
      return rejection(e);
    }
    if (port.stallIn > 0) {
      port.stallIn--;
      port.haltedIn = true;
    }
    if (port.haltedIn) {
      this.transfers.push({ direction: 'in', interfaceNumber: port.interfaceNumber, length: 0 });
      return Promise.resolve({ status: 'stall' });
    }
    if (port.waiter) return Promise.reject(new Error('fake: two IN transfers pending at once'));
    return new Promise<UsbModemInResult>((resolve, reject) => {
      port.waiter = {
        length,
        reject,
        resolve: (r) => {
          this.transfers.push({
            direction: 'in',
            interfaceNumber: port.interfaceNumber,
            length: r.data?.byteLength ?? 0,
          });
          resolve(r);
        },
      };
      port.flush();
    });
  }

  transferOut(endpointNumber: number, data: Uint8Array<ArrayBuffer>): Promise<UsbModemOutResult> {
    let port: FunctionPort;
    try {
      port = this.#endpointPort(endpointNumber);
    } catch (e) {
      return rejection(e);
    }
    if (port.stallOut > 0) {
      port.stallOut--;
      port.haltedOut = true;
    }
    if (port.haltedOut) return Promise.resolve({ status: 'stall', bytesWritten: 0 });
    const n = port.interfaceNumber;
    this.transfers.push({ direction: 'out', interfaceNumber: n, length: data.length });
    this.written.set(n, (this.written.get(n) ?? 0) + data.length);
    port.pendingOut.push(...data);
    // The function sees the transfer only once it ends in a short packet (USB 2.0 §5.8.3).
    if (data.length % this.#packetSize !== 0 || data.length === 0) {
      const bytes = Uint8Array.from(port.pendingOut);
      port.pendingOut = [];
      if (bytes.length > 0) this.#deliver(port, bytes);
    }
    return Promise.resolve({ status: 'ok', bytesWritten: data.length });
  }

  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void> {
    let port: FunctionPort;
    try {
      port = this.#endpointPort(endpointNumber);
    } catch (e) {
      return rejection(e);
    }
    this.clearHalts.push({ direction, endpointNumber });
    if (direction === 'in') port.haltedIn = false;
    else port.haltedOut = false;
    return Promise.resolve();
  }

  controlTransferOut(setup: UsbModemControlSetup): Promise<UsbModemOutResult> {
    try {
      this.#check();
    } catch (e) {
      return rejection(e);
    }
    this.controlRequests.push(setup);
    // SET_CONTROL_LINE_STATE (CDC PSTN 1.2 §6.3.12) with DTR set.
    if (setup.requestType === 'class' && setup.request === 0x22 && (setup.value & 1) !== 0) {
      this.#dtr.add(setup.index);
    }
    return Promise.resolve({ status: 'ok', bytesWritten: 0 });
  }

  #lineBuffers = new Map<number, string>();
  #chains = new Map<number, Promise<void>>();

  #deliver(port: FunctionPort, bytes: Uint8Array): void {
    const n = port.interfaceNumber;
    switch (port.role) {
      case 'dm':
        // A diag port answers anything with an HDLC-framed error packet (0x13 = bad command,
        // CRC, 0x7E flag), nothing an AT parser could take for OK.
        port.push([0x13, ...bytes.subarray(0, 8), 0x5b, 0x2d, 0x7e]);
        return;
      case 'gnss':
      case 'qmi':
      case 'cdcControl':
        return;
      case 'at':
      case 'cdcData':
        break;
    }
    if (port.role === 'cdcData' && this.#options.requireDtr && !this.#dtr.has(n - 1)) return;
    const modem = this.modems.get(n);
    if (!modem) return;
    let buffer = (this.#lineBuffers.get(n) ?? '') + String.fromCharCode(...bytes);
    let i: number;
    while ((i = buffer.indexOf('\r')) >= 0) {
      const line = buffer.slice(0, i).trim();
      buffer = buffer.slice(i + 1);
      if (!line) continue;
      const chain = (this.#chains.get(n) ?? Promise.resolve()).then(async () => {
        if (this.unplugged) return;
        if (this.#options.disconnectWhen?.(line)) {
          this.unplug();
          return;
        }
        const answer = await modem.command(line);
        const delay = this.#options.answerDelayMs?.(line) ?? 0;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (!this.unplugged && this.#claimed.has(n)) port.push(latin1(answer));
      });
      this.#chains.set(n, chain);
    }
    this.#lineBuffers.set(n, buffer);
  }
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** A fake modem and the fake navigator.usb that hands it out. */
export function createFakeUsbModem(options: FakeUsbModemOptions): {
  device: FakeUsbModem;
  usb: FakeUsb;
} {
  const device = new FakeUsbModem(options);
  return { device, usb: new FakeUsb(device) };
}

/** A rejected promise for an error thrown synchronously (WebUSB reports failures by rejecting). */
function rejection(e: unknown): Promise<never> {
  return Promise.reject(e instanceof Error ? e : new Error(String(e)));
}
