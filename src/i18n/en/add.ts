/** English texts of the app's add area; the other languages mirror this module's shape. */
export const add = {
  title: 'Add a profile',
  connectFirst: 'Connect to an eUICC first.',
  connect: 'Connect',
  /** The accessible name of the tab list. */
  methodsLabel: 'How to add the profile',
  methods: {
    scan: 'Scan QR code',
    image: 'QR image',
    code: 'Activation code',
    address: 'SM-DP+ address',
    discover: 'Discover',
  },
  image: {
    drop: 'Choose, drop or paste a picture of the QR code',
    notAnImage: 'The file is not an image this browser can read.',
    noCode: 'No QR code was found in the image.',
  },
  camera: {
    noAccess: 'This browser gives no camera access here (a secure context is needed).',
    preview: 'Camera preview',
    start: 'Start camera',
    stop: 'Stop camera',
    toFront: 'Switch to front camera',
    toBack: 'Switch to back camera',
    torch: 'Torch',
    pointAt: 'Point the camera at the QR code…',
    notStarted: 'The camera could not be started.',
  },
  discover: {
    /** `server`: the SM-DS address, or `rootSmds` when none is known. */
    ask: (server: string) =>
      `Ask the SM-DS (${server}) whether a profile is waiting for this eUICC.`,
    rootSmds: 'the eUICC’s root SM-DS',
    asking: 'Asking…',
    start: 'Discover profiles',
    waitingAt: (server: string) => `Profile waiting at ${server}`,
    download: 'Download',
    nothing: 'No search yet, or nothing waiting.',
  },
  code: {
    found: 'Code read from the QR code. Check it, then add.',
    label: 'Activation code',
    demo: 'Demo codes from the local test server (click one to fill in)',
  },
  address: {
    label: 'SM-DP+ address',
    matchingId: 'Matching ID (may be empty)',
  },
  submit: 'Download profile',
  /** Opening a link to a device. */
  link: {
    kinds: {
      usb: 'USB reader',
      serial: 'Serial modem',
      usbModem: 'USB modem',
      smartcard: 'Smart card reader',
    },
    notIncluded: (what: string) => `${what} support is not included in this build of WebLPA.`,
    unknownError: 'unknown error',
  },
};
