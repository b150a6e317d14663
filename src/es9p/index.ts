/** ES9+/ES11 client: endpoints, errors, status codes and the HTTPS/JSON client. */
export * from './client.ts';
export * from './endpoint.ts';
export * from './errors.ts';
export * from './status-codes.ts';
