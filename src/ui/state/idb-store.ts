/**
 * A tiny key-value store over IndexedDB (the virtual eUICC's state lives here). The IDBFactory is
 * passed in; when there is none (private modes that disable it), an in-memory map stands in and
 * `persistent` says so, so the UI can tell the user.
 */

export interface KeyValueStore {
  readonly persistent: boolean;
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

const STORE = 'kv';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => {
      resolve(r.result);
    };
    r.onerror = () => {
      reject(r.error ?? new Error('IndexedDB request failed'));
    };
  });
}

export async function openStore(
  factory: IDBFactory | undefined,
  name = 'weblpa',
): Promise<KeyValueStore> {
  if (!factory) return memoryStore();
  let db: IDBDatabase;
  try {
    const open = factory.open(name, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(STORE);
    };
    db = await request(open);
  } catch {
    return memoryStore();
  }
  const tx = (mode: IDBTransactionMode): IDBObjectStore =>
    db.transaction(STORE, mode).objectStore(STORE);
  return {
    persistent: true,
    async get(key) {
      const v: unknown = await request(tx('readonly').get(key));
      return typeof v === 'string' ? v : undefined;
    },
    async put(key, value) {
      await request(tx('readwrite').put(value, key));
    },
    async delete(key) {
      await request(tx('readwrite').delete(key));
    },
  };
}

export function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    persistent: false,
    get: (key) => Promise.resolve(map.get(key)),
    put: (key, value) => {
      map.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      map.delete(key);
      return Promise.resolve();
    },
  };
}
