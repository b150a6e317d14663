import type { Messages } from '../messages.ts';

export const add: Messages['add'] = {
  title: 'プロファイルを追加',
  connectFirst: '先に eUICC に接続してください。',
  connect: '接続',
  methodsLabel: 'プロファイルの追加方法',
  methods: {
    scan: 'QR コードをスキャン',
    image: 'QR 画像',
    code: 'アクティベーションコード',
    address: 'SM-DP+ アドレス',
    discover: '検出',
  },
  image: {
    drop: 'QR コードの画像を選択、ドロップ、または貼り付け',
    notAnImage: 'このファイルは、このブラウザーで読み込める画像ではありません。',
    noCode: '画像に QR コードが見つかりませんでした。',
  },
  camera: {
    noAccess:
      'このブラウザーでは、ここでカメラを使用できません（セキュアコンテキストが必要です）。',
    preview: 'カメラのプレビュー',
    start: 'カメラを起動',
    stop: 'カメラを停止',
    toFront: '前面カメラに切り替え',
    toBack: '背面カメラに切り替え',
    torch: 'ライト',
    pointAt: 'カメラを QR コードに向けてください…',
    notStarted: 'カメラを起動できませんでした。',
  },
  discover: {
    ask: (server: string) =>
      `この eUICC 向けのプロファイルが待機しているかを SM-DS（${server}）に問い合わせます。`,
    rootSmds: 'eUICC のルート SM-DS',
    asking: '問い合わせ中…',
    start: 'プロファイルを検出',
    waitingAt: (server: string) => `${server} でプロファイルが待機中`,
    download: 'ダウンロード',
    nothing: 'まだ検索していないか、待機中のプロファイルはありません。',
  },
  code: {
    found: 'QR コードからコードを読み取りました。確認してから追加してください。',
    label: 'アクティベーションコード',
    demo: 'ローカルテストサーバーのデモコード（クリックで入力）',
  },
  address: {
    label: 'SM-DP+ アドレス',
    matchingId: 'Matching ID（空欄可）',
  },
  submit: 'プロファイルをダウンロード',
  link: {
    kinds: {
      usb: 'USB カードリーダー',
      serial: 'シリアルモデム',
      usbModem: 'USB モデム',
      smartcard: 'スマートカードリーダー',
    },
    notIncluded: (what: string) => `この WebLPA のビルドには${what}のサポートが含まれていません。`,
    unknownError: '不明なエラー',
  },
};
