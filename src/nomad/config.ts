// How to reach a Nomad agent: the resolved connection settings the client is built from.
// src/cli fills this from flags and NOMAD_* variables; nothing here reads the environment.

export interface TlsSettings {
  /** PEM text of one or more CA certificates (NOMAD_CACERT / NOMAD_CAPATH). */
  ca?: string[];
  /** PEM text of the client certificate and key (NOMAD_CLIENT_CERT / NOMAD_CLIENT_KEY). */
  cert?: string;
  key?: string;
  serverName?: string;
  skipVerify?: boolean;
}

export interface ClientConfig {
  /** http://host:port, https://host:port or unix:///path/to/socket. */
  address: string;
  token?: string;
  region?: string;
  namespace?: string;
  /** "user:pass" for HTTP basic auth (NOMAD_HTTP_AUTH or URL userinfo). */
  httpAuth?: string;
  tls?: TlsSettings;
  /** Refuse every mutating request inside the client itself. */
  readOnly?: boolean;
  /** The timeout of a request that is neither a blocking query nor a restart (default 30 s). */
  requestTimeoutMs?: number;
}

export const DEFAULT_ADDRESS = 'http://127.0.0.1:4646';

export interface ResolvedAddress {
  /** The origin undici dials (for a unix socket, a placeholder http://localhost). */
  origin: string;
  socketPath?: string;
  /** Userinfo taken out of the URL, as "user:pass". */
  userinfo?: string;
  /** The address as shown to the user: never with a password. */
  display: string;
  https: boolean;
}

/** The address with any password in its userinfo replaced: an address that does not parse
 * is still quoted in the error, and must not carry the secret there. */
function withoutPassword(address: string): string {
  return address.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/** Splits an address into what undici needs; throws a one-line Error when it is unusable. */
export function resolveAddress(address: string): ResolvedAddress {
  if (address.startsWith('unix://')) {
    const socketPath = address.slice('unix://'.length);
    if (!socketPath.startsWith('/')) {
      throw new Error(`address ${address} needs an absolute socket path, like unix:///var/run/nomad.sock`);
    }
    return { origin: 'http://localhost', socketPath, display: address, https: false };
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(`address "${withoutPassword(address)}" is not a URL; use http://host:4646, https://host:4646 or unix:///path`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`address scheme "${url.protocol.replace(/:$/, '')}" is not supported; use http://, https:// or unix://`);
  }
  if (!url.hostname) {
    throw new Error(`address "${withoutPassword(address)}" has no host; use http://host:4646`);
  }
  const userinfo = url.username
    ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    : undefined;
  const origin = `${url.protocol}//${url.host}`;
  return { origin, userinfo, display: origin, https: url.protocol === 'https:' };
}
