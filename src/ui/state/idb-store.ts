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
  /**
   * A write, resolved once its transaction has committed (not when its request succeeded) and
   * with strict durability (flushed to disk): the virtual eUICC's state, the interrupted-download
   * journal and the Batch view's report must survive the browser being killed right after.
   */
  const write = (op: (store: IDBObjectStore) => IDBRequest): Promise<void> =>
    new Promise((resolve, reject) => {
      const t = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      op(t.objectStore(STORE));
      t.oncomplete = () => {
        resolve();
      };
      t.onerror = () => {
        reject(t.error ?? new Error('IndexedDB write failed'));
      };
      t.onabort = () => {
        reject(t.error ?? new Error('IndexedDB write aborted'));
      };
    });
  return {
    persistent: true,
    async get(key) {
      const v: unknown = await request(
        db.transaction(STORE, 'readonly').objectStore(STORE).get(key),
      );
      return typeof v === 'string' ? v : undefined;
    },
    put: (key, value) => write((store) => store.put(value, key)),
    delete: (key) => write((store) => store.delete(key)),
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
