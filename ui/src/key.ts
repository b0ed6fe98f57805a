import { Store } from './store';

const STORAGE_KEY = 'media-analysis-api.key';

function read(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The API key, kept for this browser tab's session only (sessionStorage), never in a cookie. */
export const apiKey = new Store<string | null>(read());

/** True once the service answered 401: the UI then asks for a key instead of showing data. */
export const keyRequired = new Store<boolean>(false);

export function saveKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
  keyRequired.set(false);
  apiKey.set(key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  apiKey.set(null);
}

/** Headers that carry the key, when there is one. */
export function keyHeaders(): Record<string, string> {
  const key = apiKey.get();
  return key ? { 'X-API-Key': key } : {};
}
