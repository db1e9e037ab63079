// Errors the Nomad client raises: one for an answer the agent gave (status + its text/plain
// body), one for a request that never got an answer. Neither ever contains the ACL token.

/** The agent answered with a non-2xx status. `body` is Nomad's raw text/plain message. */
export class NomadError extends Error {
  override readonly name = 'NomadError';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: string,
    /** X-Nomad-* meta, when the agent sent it (a blocking 404 on one allocation does). */
    readonly meta?: { index: number; knownLeader: boolean; lastContact: number },
  ) {
    super(`${status} ${firstLine(body) || defaultText(status)} (${method} ${path})`);
  }

  /** The agent's own words, or a stand-in when the body was empty. */
  get text(): string {
    return firstLine(this.body) || defaultText(this.status);
  }
}

/** The request did not reach the agent, or the answer could not be read. */
export class NomadConnectionError extends Error {
  override readonly name = 'NomadConnectionError';
  constructor(
    readonly address: string,
    readonly code: string,
    readonly hint: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`cannot reach Nomad at ${address}: ${hint}`);
  }
}

function firstLine(text: string): string {
  const trimmed = text.trim();
  const end = trimmed.indexOf('\n');
  return end === -1 ? trimmed : trimmed.slice(0, end);
}

function defaultText(status: number): string {
  switch (status) {
    case 400: return 'Bad request';
    case 403: return 'Permission denied';
    case 404: return 'Not found';
    case 405: return 'Invalid method';
    case 500: return 'Internal server error';
    default: return `HTTP ${status}`;
  }
}

/** What to check for a failed connection, by Node/undici error code, in plain words (never the
 * code itself). `answered`: the agent has answered before, so a reset is passing trouble, not a
 * set-up problem (no "use https://" hint on an agent that was working a moment ago). */
export function connectionHint(code: string, address: string, limit = 0, answered = false): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused; is the agent running there? Check NOMAD_ADDR or --address`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name not found; check NOMAD_ADDR or --address`;
    case 'ENOENT':
      return `no socket at that path; check NOMAD_ADDR or --address`;
    case 'EACCES':
      return `permission denied on the socket; check its file mode`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connection timed out; check NOMAD_ADDR, the network and firewalls`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `the agent stopped answering (timeout)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      if (answered) return `connection closed by the agent; reconnecting`;
      return address.startsWith('https:')
        ? `connection closed by the agent; if it requires client certificates, set NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY`
        : `connection closed by the agent; if it serves HTTPS, use an https:// address`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS certificate not trusted (${code}); set NOMAD_CACERT or --ca-cert to the agent's CA`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate does not match the host name; set NOMAD_TLS_SERVER_NAME or --tls-server-name`;
    case 'CERT_HAS_EXPIRED':
      return `the agent's TLS certificate has expired`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return address.startsWith('https:')
        ? `TLS handshake failed; is the agent serving plain HTTP? Try an http:// address`
        : `protocol error`;
    case 'HPE_INVALID_CONSTANT':
    case 'UND_ERR_INFO':
      return address.startsWith('http:')
        ? `the agent did not answer in HTTP; is it serving HTTPS? Try an https:// address`
        : `the agent's answer was not HTTP`;
    case 'ERR_OSSL_X509_KEY_VALUES_MISMATCH':
      return `the client certificate and key do not match; check NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY`;
    case 'STREAM_REFUSED':
      return `the agent closed the event stream without a word (it refuses it: token, region or namespace); following the list with blocking queries`;
    case 'BAD_HTTP_VERSION':
      return `the agent answered the event stream as "HTTP/0.0" (Nomad 1.11.2); following the list with blocking queries`;
    case 'STREAM_ENDED':
      return `connection closed by the agent while streaming events; reconnecting`;
    case 'TOO_LARGE':
      return `the agent's answer was larger than ${Math.round(limit / 1024 / 1024)} MB and was not read; is something other than Nomad answering there?`;
    case 'DEADLINE':
      return `the agent's answer did not arrive in time (it came too slowly); retrying`;
    case 'BAD_BODY':
      return `the agent's answer could not be read (truncated or not JSON)`;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return `the agent's answer was cut short (shorter than it said); retrying`;
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
    case 'EPIPE':
      return `the connection to the agent closed; reconnecting`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to the agent's host; check the network and NOMAD_ADDR`;
    default:
      return `the connection to the agent failed; check NOMAD_ADDR and the network`;
  }
}
