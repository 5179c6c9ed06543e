// The client of a request, as server.ts determined it. server.ts always overwrites these
// headers before handing a request to Next (a client cannot set them): the address is the
// socket's peer, or the X-Forwarded-For hop just before the first trusted proxy
// (TRUSTED_PROXIES); the protocol is X-Forwarded-Proto only when the peer is trusted.

export const CLIENT_ADDRESS_HEADER = "x-portcullis-client-address";
export const CLIENT_PROTO_HEADER = "x-portcullis-client-proto";

const MAX_UA = 512;

export interface ClientInfo {
  address: string | null;
  userAgent: string | null;
}

/** The client address and user agent of a request (null when unknown, e.g. in unit tests). */
export function clientInfo(headers: Headers): ClientInfo {
  const address = headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
  // eslint-disable-next-line no-control-regex
  const ua = headers.get("user-agent")?.replace(/[\u0000-\u001F\u007F]/g, "").slice(0, MAX_UA) || null;
  return { address, userAgent: ua };
}
