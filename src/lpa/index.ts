/** The LPA core: flows over ES10 (card) and ES9+/ES11 (servers). */
export * from './lpa.ts';
export * from './errors.ts';
export * from './context.ts';
export * from './download.ts';
export * from './discovery.ts';
export * from './notifications.ts';
export * from './es9p-api.ts';
export { Mutex } from '../base/async.ts';
export * from './interrupted.ts';
