import type { Messages } from '../messages.ts';

export const connect: Messages['connect'] = {
  title: 'eUICC に接続',
  lost: (name: string) => `${name} との接続が切れました。`,
  theEuicc: 'eUICC',
  available: (lastUsed: boolean) =>
    lastUsed ? 'このブラウザーで利用できます（前回使用）。' : 'このブラウザーで利用できます。',
  notAvailable: (reason: string) => `ここでは利用できません：${reason}`,
  connectedTo: (name: string) => `${name} に接続しました。`,
  options: {
    virtual: {
      label: '仮想 eUICC',
      use: '仮想 eUICC を使用',
      description: 'このブラウザー内に保存されるソフトウェアの eUICC。試用やテストに使います。',
    },
    usb: {
      label: 'USB カードリーダー',
      use: 'USB カードリーダーを使用',
      description: 'eUICC を挿した USB スマートカードリーダー（WebUSB）。',
    },
    serial: {
      label: 'シリアルモデム',
      use: 'シリアルモデムを使用',
      description: 'eUICC を搭載し、AT コマンドで制御するセルラーモデム（WebSerial）。',
    },
    usbModem: {
      label: 'USB モデム',
      use: 'USB モデムを使用',
      description:
        'AT ポートに USB で直接アクセスするセルラーモデム（WebUSB）。Web Serial がモデムの' +
        'ポートを認識しない Android 版 Chrome などで使います。',
    },
    smartcard: {
      label: 'システムのスマートカードリーダー',
      use: 'システムのスマートカードリーダーを使用',
      description:
        'システムのスマートカードサービス経由のスマートカードリーダー。ChromeOS に' +
        'インストールした WebLPA アプリで利用できます。',
    },
    bridge: {
      label: 'ローカルカードブリッジ経由のカードリーダー',
      description:
        'このコンピューターの PC/SC カードリーダーを WebLPA のカードブリッジ経由で使います' +
        '（npm run lpa -- bridge）。どのブラウザーでも動作します。',
    },
  },
  unavailable: {
    insecure:
      'このページはセキュアコンテキストではありません。https または localhost で開いてください。',
    noWebUsb:
      'このブラウザーは WebUSB に対応していません（デスクトップの Chrome か Edge を使ってください）。',
    noWebSerial:
      'このブラウザーは WebSerial に対応していません（デスクトップの Chrome か Edge を使ってください）。',
    noWebUsbModem:
      'このブラウザーは WebUSB に対応していません（デスクトップか Android の Chrome か Edge を使ってください）。',
    noSmartCardApi:
      'このブラウザーには Web Smart Card API がありません。利用できるのは ChromeOS の Chrome に' +
      'インストールした WebLPA アプリ（Isolated Web App）だけです。ここでは USB カードリーダー、' +
      'モデム、または仮想 eUICC を使ってください。',
  },
};
