import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

type ErrorText = Messages['errors']['generic'];

const CANCELLED: ErrorText = {
  title: 'キャンセルしました',
  detail: '操作はキャンセルされました。eUICC には何も変更されていません。',
  advice: '準備ができたら、もう一度始めてください。',
};

const NEW_CODE = '事業者に新しいアクティベーションコードを依頼してください。';
const SECURE_PAGE = 'アプリを https（または localhost）で開いてください。';

export const errors: Messages['errors'] = {
  panel: {
    whatToDo: '対処方法：',
    forExperts: '専門家向けの詳細',
    dismiss: '閉じる',
  },
  generic: {
    title: '問題が発生しました',
    detail: '予期しないエラーで操作が中断されました。',
    advice: 'もう一度お試しください。失敗が続く場合はログをエクスポートしてください。',
  },
  lpa: {
    consentRefused: {
      title: 'プロファイルはインストールされていません',
      detail: 'プロファイルを拒否したため、何もインストールされていません。',
      advice: 'コードが再利用できる場合は、後で同じコードで追加できます。',
    },
    cancelled: CANCELLED,
    confirmationCodeRequired: {
      title: '確認コードが必要です',
      detail: 'このプロファイルには確認コードが必要ですが、入力されていません。',
      advice: '事業者から受け取った確認コードを入力してください。',
    },
    es9p: {
      title: 'SM-DP+ が拒否しました',
      detail: 'SM-DP+ がリクエストを拒否しました。',
      advice: '後でもう一度お試しください。失敗が続く場合は、下のコードを事業者に伝えてください。',
    },
    network: {
      title: 'サーバーに接続できません',
      detail: 'サーバーが応答しませんでした。',
      advice: '接続と「設定」のリレー URL を確認してから、もう一度お試しください。',
    },
    es10: {
      title: 'eUICC が拒否しました',
      detail: 'eUICC がコマンドを拒否しました。',
      advice: '更新してもう一度お試しください。下のコードに eUICC の応答が正確に示されています。',
    },
    installFailed: {
      title: 'プロファイルはインストールされていません',
      detail: 'eUICC はプロファイルをインストールできませんでした。',
      advice: 'もう一度お試しください。下のコードにインストールが止まった箇所が示されています。',
    },
    apdu: {
      title: 'カードがコマンドを受け付けませんでした',
      detail: 'カードがコマンドにエラーを返しました。',
      advice:
        'カードが正しく挿さっているか確認してから、もう一度お試しください。下のコードにカードの応答が示されています。',
    },
    transport: {
      title: '接続の問題',
      detail: 'カードまたはデバイスとの接続に失敗しました。',
      advice: 'カードまたはデバイスを確認してから、再接続してください。',
    },
    badActivationCode: {
      title: 'アクティベーションコードが無効です',
      detail: 'アクティベーションコードを読み取れませんでした。',
      advice:
        'LPA:1$smdp.example.com$MATCHING-ID のような形式です。確認してもう一度お試しください。',
    },
    noAddress: {
      title: 'SM-DP+ アドレスがありません',
      detail: 'SM-DP+ アドレスが指定されておらず、eUICC にもデフォルトの SM-DP+ がありません。',
      advice: 'アクティベーションコードか SM-DP+ アドレスを入力してください。',
    },
    serverMismatch: {
      title: 'サーバーの応答が一致しません',
      detail: 'SM-DP+ が別のセッションまたはアドレスに対して応答しました。',
      advice: '最初からやり直してください。再発する場合は SM-DP+ アドレスを確認してください。',
    },
    badRequest: {
      title: 'リクエストが無効です',
      detail: 'この操作に指定された値が無効です。',
      advice: '入力内容を確認して、もう一度お試しください。',
    },
    internal: {
      title: '操作に失敗しました',
      detail: '予期しないエラーで操作が中断されました。',
      advice: 'もう一度お試しください。下のコードは専門家の役に立ちます。',
    },
  },
  activationCode: {
    title: 'アクティベーションコードが無効です',
    advice: 'LPA:1$smdp.example.com$MATCHING-ID のような形式です。確認してもう一度お試しください。',
    reasons: {
      empty: 'アクティベーションコードが空です。',
      format: 'アクティベーションコードが LPA:1$… 形式ではありません。',
      address: 'アクティベーションコード内の SM-DP+ アドレスが無効です。',
      matchingId: 'アクティベーションコード内のマッチング ID が無効です。',
      oid: 'アクティベーションコード内の SM-DP+ OID が無効です。',
      confirmationFlag: 'アクティベーションコード内の確認コードフラグが無効です。',
      tooLong: 'アクティベーションコードが長すぎます。',
    },
  },
  es9p: {
    title: 'SM-DP+ が拒否しました',
    codes: {
      '8.2.6/3.8': {
        detail: 'SM-DP+ はこのアクティベーションコードを認識しないか、既に使用済みです。',
        advice: '事業者にコードを確認し、使用済みなら新しいコードを依頼してください。',
      },
      '8.2.7/2.2': {
        detail: 'このプロファイルには確認コードが必要です。',
        advice: '事業者から受け取った確認コードを入力してください。',
      },
      '8.2.7/3.8': {
        detail: '確認コードが間違っています。',
        advice: '確認コードを確認して、もう一度お試しください。',
      },
      '8.2.7/6.4': {
        detail: '確認コードの誤りが多すぎるため、SM-DP+ がこの注文をロックしました。',
        advice: NEW_CODE,
      },
      '8.1.1/3.8': {
        detail: 'このプロファイルは別の eUICC（EID）用に予約されています。',
        advice: 'プロファイルを注文したデバイスを使うか、この EID 用のコードを依頼してください。',
      },
      '8.8.5/4.1': {
        detail: 'ダウンロードの注文の有効期限が切れています。',
        advice: NEW_CODE,
      },
      '8.8.2/3.1': {
        detail: 'SM-DP+ とこの eUICC には、共通して信頼する証明書発行者がありません。',
        advice:
          'この eUICC はこの SM-DP+ からプロファイルをインストールできません（例：テスト用 eUICC と本番サーバー）。',
      },
      '8.10.1/3.9': {
        detail:
          'SM-DP+ はこのダウンロードセッションをもう認識していません（タイムアウトした可能性があります）。',
        advice: 'ダウンロードを最初からやり直してください。',
      },
    },
    other: {
      detail: 'SM-DP+ がリクエストを拒否しました。',
      advice: '後でもう一度お試しください。失敗が続く場合は、下のコードを事業者に伝えてください。',
    },
  },
  es9pTransport: {
    network: {
      title: 'サーバーに接続できません',
      detail:
        'サーバーが応答しませんでした。オフラインか、Web ページからのリクエストを許可していない（CORS）可能性があります。',
      advice:
        '接続と「設定」のリレー URL を確認してください。「直接」ルートを選んでいる場合は「自動」（リレー経由）を選んでください。',
    },
    timeout: {
      title: 'サーバーの応答に時間がかかりすぎました',
      detail: 'サーバーが時間内に応答しませんでした。',
      advice: '接続を確認して、もう一度お試しください。',
    },
    aborted: CANCELLED,
    http: {
      title: 'サーバーの応答が正しくありません',
      detail: 'サーバーが HTTP エラーを返しました。',
      advice:
        'サーバーの設定が誤っているか、プロキシが応答を変更した可能性があります。リレー経由のルートをお試しください。',
    },
    badResponse: {
      title: 'サーバーの応答が正しくありません',
      detail: 'サーバーの応答がプロトコルの想定と異なります。',
      advice:
        'サーバーの設定が誤っているか、プロキシが応答を変更した可能性があります。リレー経由のルートをお試しください。',
    },
    badAddress: {
      title: 'サーバーアドレスが無効です',
      detail: 'サーバーアドレスまたはルート設定から有効な URL を作れません。',
      advice: '「設定」の SM-DP+ アドレスとリレー URL を確認してください。',
    },
    noRelay: {
      title: 'このサーバーに接続するにはリレーが必要です',
      detail:
        'この SM-DP+ には ES9+ リレー経由でしか接続できません。Web ページは SM-DP+ サーバーと直接通信できず、' +
        'リレー URL が設定されていません。何も送信されていません。',
      advice:
        '「設定」を開き、「SM-DP+ サーバーへの接続」に ES9+ リレー URL（例：https://relay.example.org/es9p）を入力して保存し、' +
        'もう一度ダウンロードしてください。他の人がホストするアプリを使っている場合は、運営者にアプリの config.json の ' +
        '"es9p" に "relayUrl" を設定する（または VITE_RELAY_URL でビルドする）よう依頼してください。',
    },
  },
  untrustedCertificate: {
    title: 'リレーがこのサーバーの証明書を信頼していません',
    detail: (message: string) => `リレーがサーバーの証明書を拒否しました：${message}`,
    advice:
      'メッセージには、リレーが信頼しなかった証明書発行者（CI）が示されています。本物の SM-DP+ は GSMA CI または公的なルートにつながります。テストサーバーの CI はリレーに渡す必要があります（npm start -- --ca <CI 証明書ファイル>）。それ以外の場合は SM-DP+ アドレスを確認してください。',
  },
  es10: {
    title: 'eUICC が拒否しました',
    results: {
      iccidOrAidNotFound: 'eUICC にプロファイルが見つかりません。',
      profileNotInDisabledState: '先にプロファイルを無効化する必要があります。',
      profileNotInEnabledState: 'プロファイルは有効化されていません。',
      disallowedByPolicy: '事業者のプロファイルポリシーでこの操作は禁止されています。',
      wrongProfileReenabling: 'このプロファイルは今は再び有効化できません。',
      catBusy: 'eUICC は端末との処理中です（CAT busy）。',
      nothingToDelete: '削除するものはありませんでした。',
      iccidAlreadyExistsOnEuicc: 'このプロファイルは既に eUICC にインストールされています。',
      insufficientMemoryForProfile: 'eUICC にこのプロファイルのための空き容量がありません。',
      iccidNotFound: 'eUICC にプロファイルが見つかりません。',
      invalidSignature: '署名を検証できませんでした。この eUICC は SM-DP+ を信頼していません。',
      invalidCertificate: 'この eUICC は SM-DP+ の証明書を受け入れません。',
      ciPKUnknown: 'eUICC は SM-DP+ の証明書発行者を信頼していません。',
      unsupportedCurve: 'eUICC は SM-DP+ の鍵の種類に対応していません。',
    },
    otherResult: 'eUICC がコマンドを拒否しました。',
    advice: '更新してもう一度お試しください。下のコードに eUICC の応答が正確に示されています。',
    disableFirst:
      'プロファイルを無効化する（または別のプロファイルを有効化する）と、もう一度お試しいただけます。',
  },
  apdu: {
    title: 'カードがコマンドを受け付けませんでした',
    detail: 'カードがコマンドにエラーステータスを返しました。',
    advice:
      'カードが正しく挿さっているか確認してから、もう一度お試しください。下のコードにカードの応答が示されています。',
  },
  isdRNotFound: {
    title: 'カードがコマンドを受け付けませんでした',
    detail:
      'このカードでは eSIM マネージャー（ISD-R）が応答しませんでした。eUICC ではない可能性があります。',
    advice: 'カードが eUICC か確認するか、「設定」でその ISD-R AID を指定してください。',
  },
  usbAccess: {
    title: 'USB カードリーダーを使えません',
    reasons: {
      protectedClass: {
        detail: 'このブラウザーでは Web ページがスマートカードリーダーを使えません。',
        advice:
          'Chrome は Web ページからのスマートカードリーダーの利用をブロックします。インストール版（Isolated Web App）、モデム、または仮想 eUICC を使ってください。',
      },
      busy: {
        detail: '別のプログラムがカードリーダーを使っています。',
        advice:
          '別のプログラム（多くは pcscd）がカードリーダーを使用中です。停止してから再接続してください。',
      },
      accessDenied: {
        detail: 'OS がカードリーダーへのアクセスを拒否しました。',
        advice:
          'システムがアクセスを拒否しています。udev ルールを追加する（Linux）か、WinUSB ドライバーをインストールしてください（Windows）。',
      },
      noWebUsb: {
        detail: 'このブラウザーには WebUSB がありません。',
        advice:
          'このブラウザーには WebUSB がありません。デスクトップの Chrome か Edge を使ってください。',
      },
      insecureContext: {
        detail: 'USB アクセスには安全なページが必要です。',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail:
          'カードリーダーが選ばれていないか、選んだデバイスがスマートカードリーダーではありません。',
        advice: 'カードリーダーが選ばれていません。接続してからもう一度お試しください。',
      },
      disconnected: {
        detail: 'カードリーダーが取り外されました。',
        advice: 'カードリーダーを接続し直して、もう一度お試しください。',
      },
    },
  },
  serialAccess: {
    title: 'シリアルポートを使えません',
    reasons: {
      noWebSerial: {
        detail: 'このブラウザーには Web Serial がありません。',
        advice:
          'このブラウザーには Web Serial がありません。デスクトップの Chrome か Edge を使ってください。',
      },
      insecureContext: {
        detail: 'シリアルアクセスには安全なページが必要です。',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'シリアルポートが選ばれていません。',
        advice: 'ポートが選ばれていません。モデムを接続してからもう一度お試しください。',
      },
      busy: {
        detail: 'シリアルポートを開けませんでした。別のプログラムかタブが使用中です。',
        advice:
          '別のプログラム（多くは ModemManager）がポートを使用中です。停止してから再接続してください。',
      },
      accessDenied: {
        detail: 'OS またはブラウザーがシリアルポートへのアクセスを拒否しました。',
        advice:
          'システムがポートへのアクセスを拒否しています。ユーザーを dialout グループに追加する（Linux）か、ドライバーを確認してください。',
      },
      disconnected: {
        detail: 'モデムが取り外されました。',
        advice: 'モデムを接続し直して、もう一度お試しください。',
      },
    },
  },
  usbModemAccess: {
    title: 'USB モデムを使えません',
    reasons: {
      insecureContext: {
        detail: 'USB アクセスには安全なページが必要です。',
        advice: SECURE_PAGE,
      },
      noWebUsb: {
        detail: 'このブラウザーには WebUSB がありません。',
        advice: 'このブラウザーには WebUSB がありません。Chrome か Edge を使ってください。',
      },
      noDevice: {
        detail: 'モデムが選ばれていません。',
        advice: 'モデムが選ばれていません。接続してからもう一度お試しください。',
      },
      busy: {
        detail: '別のドライバーかプログラムがモデムの AT インターフェースを使用中です。',
        advice:
          'システムのドライバーがモデムの AT ポートを使用中です。Linux では ModemManager を停止して option/qcserial を切り離すか、その ttyUSB ポートで「シリアルモデム」オプションを使ってください。',
      },
      accessDenied: {
        detail: 'OS がモデムへのアクセスを拒否しました。',
        advice:
          'システムがアクセスを拒否しています。udev ルールを追加する（Linux）か、WinUSB ドライバーをインストールしてください（Windows）。',
      },
      noAtInterface: {
        detail: 'このデバイスのどの USB インターフェースも AT コマンドに応答しませんでした。',
        advice:
          'このデバイスのどのインターフェースも AT コマンドに応答しませんでした。「シリアルモデム」オプションか、モデムの別の USB モードをお試しください。',
      },
      disconnected: {
        detail: 'モデムが取り外されました。',
        advice: 'モデムを接続し直して、もう一度お試しください。',
      },
    },
  },
  smartCardAccess: {
    title: 'スマートカードリーダーを使えません',
    reasons: {
      insecureContext: {
        detail: 'スマートカードへのアクセスには安全なページが必要です。',
        advice: 'インストール済みの WebLPA アプリ（または https のアプリ）を開いてください。',
      },
      noSmartCardApi: {
        detail: 'このブラウザーには Web Smart Card API がありません。',
        advice:
          'システムのスマートカードリーダーには ChromeOS のインストール済み WebLPA アプリを使ってください。ここでは USB カードリーダー、モデム、または仮想 eUICC を使ってください。',
      },
      noService: {
        detail: 'システムのスマートカードサービスが動いていません。',
        advice:
          'スマートカードサービスを起動してください。ChromeOS では Smart Card Connector アプリをインストールし、Linux では pcscd を起動します（sudo systemctl start pcscd）。その後、もう一度お試しください。',
      },
      noReader: {
        detail: 'スマートカードリーダーが見つかりません。',
        advice: 'スマートカードリーダーを接続してから、もう一度お試しください。',
      },
      noCard: {
        detail: 'カードリーダーにカードが入っていません。',
        advice: 'eUICC をカードリーダーに挿してから、もう一度お試しください。',
      },
      permissionDenied: {
        detail: 'スマートカードへのアクセスが拒否されました。',
        advice:
          'アプリの設定で WebLPA のスマートカードアクセスを許可する（または管理者に問い合わせる）と、もう一度お試しいただけます。',
      },
      busy: {
        detail: '別のプログラムがカードを占有しています。',
        advice: '別のプログラムがカードを使用中です。閉じてから再接続してください。',
      },
      unresponsiveCard: {
        detail: 'カードリーダー内のカードが応答しません。',
        advice:
          'カードを正しい向きで挿し直してください。それでも応答しない場合、カードリーダーが対応していない可能性があります。',
      },
      other: {
        detail: 'システムのスマートカードサービスがエラーを報告しました。',
        advice: 'カードを挿し直して再接続してください。',
      },
    },
    pcsc: {
      bindingMissing: {
        detail:
          'PC/SC バインディング（省略可能な npm パッケージ「smartcard」）がないか、ビルドされていません。',
        advice:
          'libpcsclite-dev をインストールし（Debian/Ubuntu: sudo apt-get install libpcsclite-dev）、npm rebuild smartcard を実行してください。',
      },
      unknownReader: {
        detail: '指定した名前または番号のリーダーはありません。',
        advice:
          'npm run lpa -- reader list でリーダーを一覧表示し、その名前か番号を指定してください。',
      },
      cardReset: {
        detail: '別のプログラムかリーダーがカードをリセットしました。接続は復旧しています。',
        advice: 'コマンドをもう一度実行してください。',
      },
    },
  },
  bridge: {
    title: 'ローカルカードブリッジを使えません',
    reasons: {
      badAddress: {
        detail: 'このコンピューター上のカードブリッジのアドレスではありません。',
        advice:
          'ws://127.0.0.1:35980（またはブリッジが起動時に表示したアドレス）を使ってください。',
      },
      notRunning: {
        detail: 'ローカルカードブリッジが動いていません。',
        advice:
          'このコンピューターで `npm run lpa -- bridge`（WebLPA フォルダー内）を実行してカードブリッジを起動し、動かしたままもう一度お試しください。',
      },
      originRefused: {
        detail: 'カードブリッジがこのページを拒否しました。',
        advice:
          'このページを許可してブリッジを再起動してください：npm run lpa -- bridge --origin <このページのアドレス>',
      },
      pairingRequired: {
        detail: 'このページはカードブリッジとペアリングされていません。',
        advice: 'ブリッジがターミナルに表示したペアリングコードを入力してください。',
      },
      badPairingCode: {
        detail: 'ペアリングコードが間違っています。',
        advice: 'ブリッジがターミナルに表示した最新のコードを入力してください。',
      },
      pairingLocked: {
        detail: 'ペアリングコードの誤りが多すぎます。',
        advice: '少し待ってから、ブリッジが表示した最新のコードを入力してください。',
      },
      noChoice: {
        detail: 'ローカルカードブリッジ経由のカードリーダーがまだ選ばれていません。',
        advice:
          '「ローカルカードブリッジ経由のカードリーダー」でカードリーダーを一覧表示し、1 台選んでください。',
      },
      unknownReader: {
        detail: 'カードリーダーはもうこのコンピューターに接続されていません。',
        advice: '接続してから、カードリーダーの一覧をもう一度取得してください。',
      },
      noCard: {
        detail: 'カードリーダーにカードが入っていません。',
        advice: 'eUICC を挿してから、もう一度お試しください。',
      },
      readerBusy: {
        detail: 'カードリーダーは別のページかブラウザーで使用中です。',
        advice: 'そちらで切断する（またはそのタブを閉じる）と、もう一度お試しいただけます。',
      },
      tooLarge: {
        detail: 'メッセージがカードブリッジには大きすぎました。',
        advice: 'アプリの不具合です。再接続してください。',
      },
      rateLimited: {
        detail: 'カードブリッジがリクエストの多さを理由に拒否しました。',
        advice: '再接続してもう一度お試しください。',
      },
      timeout: {
        detail: 'カードブリッジが時間内に応答しませんでした。',
        advice: 'ブリッジのターミナルを確認してから、再接続してください。',
      },
      protocol: {
        detail: 'カードブリッジとアプリの通信がかみ合いません。',
        advice: 'アプリと同じ WebLPA バージョンのブリッジを使ってください。',
      },
      readerError: {
        detail: 'カードリーダーがエラーを報告しました。',
        advice: 'カードを挿し直して再接続してください。',
      },
    },
    allowOrigin: (origin: string) =>
      `このページを許可してブリッジを再起動してください：npm run lpa -- bridge --origin ${origin}`,
    retryAfter: (seconds: number) =>
      plural('ja', seconds, { other: '# 秒後にもう一度お試しください。' }),
  },
  smartCardService: {
    title: 'スマートカードサービスがエラーを報告しました',
    detail: 'システムのスマートカードサービスがリクエストを完了できませんでした。',
    advice: 'カードを挿し直して再接続してください。下のコードにサービスの応答が示されています。',
  },
  usbTransfer: {
    title: 'USB モデムが応答しなくなりました',
    detail: 'モデムへの USB 転送に失敗しました。',
    advice: 'モデムを抜いて挿し直し、再接続してください。',
  },
  atr: {
    title: 'カードのリセット応答を読み取れませんでした',
    detail: 'カードの最初の応答（ATR）が不正です。',
    advice: 'カードを挿し直して（接点を清潔に、正しい向きで）再接続してください。',
  },
  ccid: {
    title: 'カードリーダーがエラーを報告しました',
    reasons: {
      slotError: 'カードリーダーはカードとのコマンドを完了できませんでした。',
      badMessage: 'カードリーダーが読み取れない応答を送りました。',
      unsupported: 'カードリーダーかカードが、このアプリの対応していない機能を必要としています。',
      noCcidDescriptor: 'このデバイスはスマートカードリーダーとして名乗っていません。',
      tooLong: 'コマンドがこのカードリーダーには長すぎました。',
    },
    advice: 'カードを挿し直して再接続してください。',
  },
  atCommand: {
    title: 'モデムがコマンドを拒否しました',
    detail: 'モデムがコマンドにエラーを返しました。',
    advice:
      'モデムが SIM アクセスコマンド（AT+CGLA/AT+CSIM）に対応していない可能性があります。別のポートかモデムをお試しください。',
    hints: {
      apduRefused:
        'モデムがこのコマンドを eUICC に渡すことを拒否しました（カードではなくモデムのファームウェアの問題です）。もう一度お試しください。失敗が続く場合は、モデムのファームウェアを更新するか、AT+CSIM 方式で接続してください。',
      blockRefused:
        'モデムはこの大きさの STORE DATA ブロックを転送できません。今後は 120 バイトのブロックを使います。ダウンロードをやり直してください。',
    },
  },
  atNoAnswer: {
    title: 'モデムが応答しません',
    detail: 'このポートでは AT コマンドに何も応答しません。',
    advice:
      '別のプログラム（Linux では多くの場合 ModemManager）がポートを使っている可能性があります。停止するか、モデムの別の AT ポートを選んでから再接続してください。',
  },
  atTimeout: {
    title: 'モデムが応答しませんでした',
    detail: 'モデムが時間内にコマンドを完了しませんでした。',
    advice: 'モデムの電源と選んだポートを確認してから、再接続してください。',
  },
  atResponse: {
    title: 'モデムが予期しない応答を返しました',
    detail: 'モデムの応答を読み取れませんでした。',
    advice: 'モデムの別のポート（多くは複数あります）を試すか、再接続してください。',
  },
  atUnsupported: {
    title: 'モデムから eSIM にアクセスできません',
    detail: 'モデムは SIM へのコマンドを通しません。',
    advice:
      'このモデムには SIM アクセスコマンド（AT+CGLA または AT+CSIM）がありません。USB カードリーダーか別のモデムを使ってください。',
  },
  connectionLost: {
    title: '接続が切れました',
    detail: 'カードまたはデバイスが取り外されたか、切断されました。',
    advice:
      'もう一度接続してください。WebLPA は自動で再接続します。または「再接続」を押してください。',
  },
  slotEmpty: {
    title: 'このスロットにカードがありません',
    detail: (reader: string, slot: number) =>
      `${reader} のスロット ${slot} にカードが入っていません。`,
    advice: 'スロットに eUICC を挿すか、空のままにしてください。他のカードの処理は続きます。',
  },
  settings: {
    title: '設定が無効です',
    detail: (field: string) => `「${field}」の値は使用できません。`,
    advice: '値を修正して、もう一度保存してください。',
  },
  qr: {
    title: 'コードが見つかりません',
    reasons: {
      noCode: '画像に QR コードが見つかりませんでした。',
      badImage: '画像を読み込めませんでした。',
      noCamera: 'カメラを開けませんでした。',
    },
    advice: 'より鮮明な画像を試すか、コードをテキストとして貼り付けてください。',
  },
  batchReport: {
    title: '一括レポートではありません',
    detail:
      'このファイルは JSON 形式の WebLPA 一括レポート（実行時に書き出される .report.json ファイル）ではありません。',
    advice: 'このプランの以前の実行の JSON レポートを選ぶか、レポートなしで実行してください。',
  },
  batchResume: {
    title: '別のプランのレポートです',
    detail: '以前のレポートに、このプランにない行、またはコードや EID が異なる行があります。',
    advice: 'このプランのレポートを選ぶか、レポートなしで最初から実行してください。',
  },
  notAllowed: {
    title: '許可されていません',
    detail: 'ブラウザーがこの操作を許可しませんでした。',
    advice: 'ブラウザーのサイト設定でアクセスを許可するか、別の方法でコードを入力してください。',
  },
  notFound: {
    title: '見つかりません',
    detail: '何も選ばれていないか、見つかりませんでした。',
    advice: 'デバイスが接続されていることを確認して、もう一度お試しください。',
  },
  cancelled: CANCELLED,
  recovery: {
    installed: (at: string) =>
      `${at} からの中断されたダウンロードを完了しました。プロファイルはインストールされています。`,
    cancelled: (at: string) =>
      `${at} からの中断されたダウンロードを eUICC とサーバーの両方でキャンセルしました。`,
    reported: (at: string) =>
      `${at} からの中断されたダウンロードを失敗としてサーバーに報告しました。セッションは終了しています。`,
    notificationPending: (at: string) =>
      `${at} からの中断されたダウンロードで失敗通知が残っています。サーバーがセッションを終了できるよう、「通知」から送信してください。`,
    expires: (at: string) =>
      `${at} からの中断されたダウンロードはキャンセルできませんでした。eUICC が既に破棄しています。サーバーは有効期限切れで終了します。`,
    refused: (at: string) => `サーバー ${at} は中断されたダウンロードを既に終了していました。`,
    kept: (at: string) =>
      `${at} からの中断されたダウンロードはまだキャンセルできていません（サーバーが応答しませんでした）。次回の接続時にもう一度試します。`,
  },
  status: {
    savingDefaultDp: 'デフォルトの SM-DP+ を保存しています',
    defaultDpCleared: 'デフォルトの SM-DP+ を消去しました。',
    defaultDpSet: (address: string) => `デフォルトの SM-DP+ を ${address} に設定しました。`,
    resettingMemory: 'eUICC のメモリーをリセットしています',
    memoryReset: 'eUICC のメモリーをリセットしました。',
    sendingNotification: (seq: number) => `通知 ${seq} を送信しています`,
    notificationSent: (seq: number, address: string) =>
      `通知 ${seq} を ${address} に配信し、削除しました。`,
    sendingAll: 'すべての通知を送信しています',
    allSent: (n: number) => plural('ja', n, { other: '# 件の通知を配信しました。' }),
    someKept: (sent: number, kept: number, detail: string) =>
      `${sent} 件送信、${kept} 件保持：${detail}`,
    removingNotification: (seq: number) => `通知 ${seq} を削除しています`,
    notificationRemoved: (seq: number) => `通知 ${seq} を送信せずに削除しました。`,
    adding: 'プロファイルを追加しています',
    settingsSaved: '設定を保存しました。',
    settingsImported: '設定をインポートしました。',
  },
};
