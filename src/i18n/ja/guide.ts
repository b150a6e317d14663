import type { Messages } from '../messages.ts';

export const guide: Messages['guide'] = {
  title: 'ここでの接続方法',
  reopen: '接続方法',
  dismiss: 'わかりました',
  usingIsolatedApp: 'インストール済みの WebLPA アプリ（Isolated Web App）を使用しています。',
  using: (browser: string, platform: string) => `${platform} の ${browser} を使用しています。`,
  usingBrowser: (browser: string) => `${browser} を使用しています。`,
  usingUnknown:
    'このブラウザーを識別できませんでした。以下の一覧は、ブラウザーが提供する機能に基づいています。',
  worksHeading: 'ここで使えるもの',
  blockedHeading: 'ここで使えないもの',
  todoHeading: '対処方法',
  links: {
    virtual: '仮想 eUICC',
    usbReader: 'USB カードリーダー',
    serialModem: 'シリアルモデム',
    usbModem: 'USB モデム',
    smartCard: 'システムのスマートカードリーダー',
    bridge: 'ローカルカードブリッジ',
  },
  works: {
    virtual: 'このブラウザー内のソフトウェア eUICC。試用に使えます。',
    usbReader: '標準（CCID）リーダー。システムのスマートカードサービスが解放した後に使えます。',
    serialModem: 'セルラーモデムの AT ポート（Web Serial 経由）。',
    usbModem: 'USB 経由のモデムの AT ポート。システムのドライバーが占有していない場合に使えます。',
    smartCard: 'システムのスマートカードサービス経由のリーダー。',
    bridge: 'このコンピューターの PC/SC リーダー（ブリッジプログラム経由）。',
  },
  why: {
    insecure:
      'ページが通常の http で開かれたため、ブラウザーが USB とシリアルポートを隠しています。',
    noWebUsb: 'このブラウザーは WebUSB に対応していません。',
    noWebSerial: 'このブラウザーは Web Serial に対応していません。',
    ccidBlocked:
      'ブラウザーは Web ページからの標準（CCID）スマートカードリーダーの使用をブロックします。使えるのは、ベンダー固有のインターフェースを持つ一部のリーダーだけです。',
    ccidBlockedAndroid:
      'Chrome は Web ページからの標準（CCID）スマートカードリーダーの使用をブロックし、Android にはそれを回避するインストール型アプリもありません。',
    serialAndroid: 'Android では、Web Serial からモデムの AT ポートが見えません。',
    smartCardApp: 'ChromeOS にインストールした WebLPA アプリでのみ使えます。',
    bridgeComputer:
      'ブリッジはコンピューター用のプログラムで、スマートフォンやタブレットでは使えません。',
  },
  todo: {
    secureOrigin:
      'USB やシリアルのデバイスを使うには、WebLPA を https または localhost で開いてください。',
    bridge:
      'カードリーダー：このコンピューターでローカルカードブリッジを起動し、下のブリッジの項目でリーダーを一覧表示してください：',
    iwa: 'ブリッジを使わないカードリーダー：デスクトップ版 Chrome に Isolated Web App 版をインストールしてください：',
    serialModem:
      'モデム：「シリアルモデム」でその AT ポート（Quectel、Sierra、SIMCom など）を選んでください。',
    serialModemLinux:
      'モデム：まず ModemManager を停止し、「シリアルモデム」でその AT ポート（Quectel、Sierra、SIMCom など）を選んでください。',
    usbModem: 'モデム：USB で接続し、「USB モデム」を選んでください。',
    desktopBrowser: 'USB リーダーとモデムには、コンピューター上の Chrome または Edge が必要です。',
    virtual: 'ハードウェアが手元にない場合は、仮想 eUICC がいつでも使えます。試用やドライランに。',
  },
};
