/**
 * Service worker registration (vite-plugin-pwa, prompt mode): when a new version is installed
 * and waiting, `onNeedRefresh` lets the UI offer a reload instead of swapping code mid-operation.
 */
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(onNeedRefresh: () => void): () => Promise<void> {
  if (!('serviceWorker' in navigator)) return () => Promise.resolve();
  return registerSW({ immediate: true, onNeedRefresh });
}
