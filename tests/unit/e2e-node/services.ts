// The local services for a test file or describe block (kept apart from harness.ts, which the
// fuzzers import outside vitest).
import { afterAll, beforeAll } from 'vitest';
import {
  startLocalServices,
  type LocalServices,
  type LocalServicesOptions,
} from '../../../src/server/local-services.ts';
import { startServices } from './harness.ts';

/**
 * Starts the local SM-DP+/SM-DS before the tests of the enclosing file or describe block and
 * closes them after; returns a getter for them. Without options, harness.ts's services.
 */
export function useServices(options?: LocalServicesOptions): () => LocalServices {
  let services: LocalServices | undefined;
  beforeAll(async () => {
    services = await (options ? startLocalServices(options) : startServices());
  }, 60_000);
  afterAll(async () => {
    await services?.close();
  });
  return () => {
    if (services === undefined) throw new Error('the local services are used outside the tests');
    return services;
  };
}
