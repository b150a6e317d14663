import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

const n = (v: number): string => formatNumber('ja', v);

export const batch: Messages['batch'] = {
  title: '一括',
  intro:
    'アクティベーションコードのプランを多数のカードで一度に実行します。対象は仮想 eUICC（ドライラン: 実行用に作成され、保存されません）、USB カードリーダーの全スロット、またはローカルカードブリッジのカードリーダーです。',
  cliBefore: '同じプランは ',
  cliAfter: ' で PC/SC カードリーダーでも実行できます。',
  planLabel: 'プラン（ヘッダー行付きの CSV、または JSON）',
  planFile: 'プランファイル',
  sources: {
    legend: 'カード',
    virtual: '仮想 eUICC（ドライラン）',
    usb: 'USB カードリーダーの全スロット',
    usbNote:
      'カードリーダー 1 台（WebUSB）: eUICC の入った各スロットが 1 枚のカードになります。空のスロットはエラー行になります。',
    usbMissing:
      'ここでは使えません: このページには WebUSB がありません（安全なページの Chrome か Edge、またはインストールしたアプリが必要です）。',
    bridge: 'ローカルブリッジ経由のカードリーダー',
    bridgeNote:
      'ペアリング済みのローカルカードブリッジが一覧表示する各カードリーダーが 1 枚のカードになります。先に「接続」でペアリングしてください。',
    bridgeStartBefore: 'ブリッジは ',
    bridgeStartAfter: ' で起動します。',
  },
  virtualCount: '仮想 eUICC の数',
  bridgeAddress: 'ブリッジのアドレス',
  run: {
    virtual: 'ドライランを実行',
    usb: 'カードリーダーを選んで実行',
    bridge: 'ブリッジのカードリーダーで実行',
    running: '実行中…',
    stop: '停止',
  },
  cardNames: {
    virtual: (index: string) => `仮想 eUICC ${index}`,
    usbSlot: (reader: string, slot: string) => `${reader} スロット ${slot}`,
    bridge: (reader: string) => `${reader}（カードブリッジ）`,
  },
  issues: {
    title: 'プランは実行されませんでした:',
    plan: 'プラン全体',
    row: (row: string) => `${row} 行目`,
    withColumn: (place: string, column: string) => `${place}、${column}`,
  },
  problems: {
    notText: 'テキストで指定してください。',
    notString: '文字列で指定してください。EID と ICCID は引用符で囲みます。',
    acAndSmdp:
      'アクティベーションコードか、smdp と matchingId のどちらか一方だけを指定してください。',
    badSmdpAddress:
      'SM-DP+ アドレスが無効です。smdp.example.com のようなホスト名を指定してください（:ポート 付きも可）。',
    badMatchingId: 'マッチング ID が無効です。空白、制御文字、$ は使えません。',
    noAddress: 'アクティベーションコードも SM-DP+ アドレスもありません。',
    matchingIdWithoutSmdp: 'マッチング ID には SM-DP+ アドレス（smdp 列）が必要です。',
    confirmationCodeTooLong: (max: number) => `${n(max)} 文字を超えています。`,
    confirmationCodeMissing:
      'アクティベーションコードが確認コードを求めていますが、この行にはありません。',
    badEid: (value: string) => `「${value}」は EID ではありません。EID は 32 桁の数字です。`,
    eidCheckDigits: (value: string) =>
      `「${value}」: EID のチェックディジットが正しくありません。入力ミスを確認してください。`,
    notBoolean: (value: string) =>
      `「${value}」は true/false、yes/no、1/0 のいずれでもありません。`,
    nicknameTooLong: (maxBytes: number) => `${n(maxBytes)} バイト（UTF-8）を超えています。`,
    badIccid: (value: string) =>
      `「${value}」は ICCID ではありません。ICCID は 18～20 桁の数字です。`,
    eidTwice: (eid: string, firstRow: number) =>
      `EID ${eid} はすでに ${n(firstRow)} 行目にあります。1 つの eUICC に 1 行です。`,
    noRows: 'プランに行がありません。',
    empty: 'プランが空です。',
    unknownColumn: '不明な列です。',
    columnTwice: '列が重複しています。',
    fieldCount: (got: number, want: number) =>
      `フィールドが ${n(got)} 個ありますが、ヘッダーは ${n(want)} 個です。`,
    csvSyntax: {
      unclosedQuote: (line: number) =>
        `テキストの ${n(line)} 行目: 引用符で囲んだフィールドが閉じていません。`,
      textAfterQuote: (line: number) =>
        `テキストの ${n(line)} 行目: フィールドの閉じ引用符の後に文字があります（引用符は "" と書きます）。`,
      quoteInField: (line: number) =>
        `テキストの ${n(line)} 行目: 引用符で囲んでいないフィールドに引用符があります（フィールド全体を引用符で囲んでください）。`,
      bareCarriageReturn: (line: number) =>
        `テキストの ${n(line)} 行目: 改行 (LF) のない復帰 (CR) があります。`,
    },
    notJson: '有効な JSON ではありません。',
    jsonShape: 'JSON プランは行の配列か {"rows": [...]} です。',
    rowNotObject: '各行は JSON オブジェクトにしてください。',
  },
  failures: {
    notPaired: (url: string) =>
      `このページは ${url} のカードブリッジとペアリングされていません。「接続」の「ローカルカードブリッジ経由のカードリーダー」でペアリングしてから、もう一度プランを実行してください。`,
    noReaders: (url: string) => `${url} のカードブリッジにはカードリーダーがありません。`,
  },
  saved: {
    title: '前回の実行を保存済み',
    summary: (where: string, started: string, ok: number, rows: number) =>
      `${where}で ${started} に開始：${n(rows)} 行中 ${n(ok)} 行が成功。`,
    where: {
      usb: 'USB カードリーダーの各スロット',
      bridge: 'ローカルカードブリッジのカードリーダー',
    },
    note: '同じカードで同じプランをもう一度実行すると続きから再開します。完了した行は飛ばし、途中で止まった行は残りの手順だけを行います。',
    resume: 'この実行を再開',
    forget: '破棄',
    resuming: (count: number) => `保存した実行を再開：完了済みの ${n(count)} 行を飛ばします。`,
    notKept:
      'この実行をブラウザーのストレージに保存できませんでした。ページを閉じる前にレポートをダウンロードしてください。',
  },
  earlierReport: {
    label: '再開に使う以前のレポート（JSON、任意）',
    loaded: (ok: number, rows: number) =>
      `レポートを読み込みました：${n(rows)} 行中 ${n(ok)} 行が成功。プランを実行すると続きから再開します。`,
    remove: 'レポートを外す',
    resuming: (count: number) => `レポートから再開：完了済みの ${n(count)} 行を飛ばします。`,
  },
  cardsTitle: 'カード',
  table: {
    caption: '一括処理の行',
    row: '行',
    card: 'カード',
    iccid: 'ICCID',
    result: '結果',
    codes: 'コード',
    notifications: '通知',
    time: '時間',
  },
  working: '処理中',
  workingAt: (step: string) => `処理中: ${step}`,
  steps: {
    delete: '削除',
    download: 'ダウンロード',
    enable: '有効化',
    nickname: 'ニックネーム',
  },
  delivery: {
    sent: '送信済み',
    kept: '保留',
    failed: '失敗',
    none: 'なし',
  },
  progress: {
    done: (count: number) => plural('ja', count, { other: '# 行完了' }),
    working: (done: string, list: string) => `${done}、処理中: ${list}`,
    row: (row: string) => `${row} 行目`,
    rowAt: (row: string, step: string) => `${row} 行目（${step}）`,
    separator: '、',
  },
  summary: (ok: number, rows: number, failed: number, notRun: number, time: string) =>
    `${plural('ja', rows, { other: '全 # 行' })}中 ${n(ok)} 行成功、${n(failed)} 行失敗` +
    (notRun > 0 ? `、${n(notRun)} 行未実行` : '') +
    `（${time}）。`,
  downloadCsv: 'CSV をダウンロード',
  downloadJson: 'JSON をダウンロード',
  resultsTitle: '結果の意味',
  results: {
    ok: '行のすべてのステップが成功しました。',
    cardNotFound: '行で指定された EID を持つカードが見つかりません。',
    noFreeCard:
      'すべてのカードに行が割り当て済みです。カードを追加するか、プランを分けてください。',
    cardUnavailable:
      'この行のカードを使えませんでした（空のスロット、または他のプログラムが使用中のカードリーダー）。',
    consentRefused: '同意のステップでプロファイルが拒否されました。',
    cancelled: 'この行が終わる前に実行が停止されました。',
    confirmationCodeRequired: 'SM-DP+ が確認コードを求めていますが、行に確認コードがありません。',
    es9p: 'SM-DP+ が拒否しました。「コード」列にサブジェクトコードと理由コードがあります。',
    network: 'SM-DP+ に接続できないか、読み取れない応答が返りました。',
    es10: 'eUICC がコマンドを拒否しました。「コード」列にその応答があります。',
    installFailed: 'eUICC がプロファイルパッケージを拒否しました。',
    apdu: 'カードがコマンドにエラーステータスで応答しました。',
    transport: 'カードとの接続が失敗したか、切れました。',
    badActivationCode: 'アクティベーションコードを読み取れませんでした。',
    noAddress: 'SM-DP+ アドレスがありません。行に指定がなく、eUICC にもデフォルトがありません。',
    serverMismatch: 'サーバーが署名したデータがこのセッションと一致しません。',
    badRequest: '無効な要求がありました。',
    internal: '予期しないエラーです。ダウンロードしたレポートにメッセージがあります。',
  },
};
