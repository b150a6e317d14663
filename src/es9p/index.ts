/** ES9+/ES11 client: endpoints, errors, status codes, the HTTP/JSON channel and the typed client. */
export {
  DEFAULT_ADMIN_PROTOCOL,
  LPAD_USER_AGENT,
  type Es9pChannelOptions,
  type Es9pExchange,
  type Es9pFetch,
  type Es9pFetchInit,
  type Es9pFetchResponse,
} from './channel.ts';
export * from './client.ts';
export * from './endpoint.ts';
export * from './errors.ts';
export * from './status-codes.ts';
