// Resolves the console's settings: flags beat NOMAD_* variables beat defaults, following the
// nomad CLI's conventions (api/api.go DefaultConfig). Every bad value is a one-line UsageError.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_ADDRESS, resolveAddress, type ClientConfig, type TlsSettings } from '../nomad/config.js';
import { intFlag, parseBoolSetting, type FlagSpec } from './flags.js';
import { UsageError } from './usageError.js';

export const CONSOLE_FLAGS = {
  address: { type: 'string' },
  namespace: { type: 'string' },
  region: { type: 'string' },
  'token-file': { type: 'string' },
  token: { type: 'string' },
  'ca-cert': { type: 'string' },
  'ca-path': { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'tls-server-name': { type: 'string' },
  'tls-skip-verify': { type: 'boolean' },
  'http-auth': { type: 'string' },
  'read-only': { type: 'boolean' },
  wait: { type: 'string' },
  demo: { type: 'boolean' },
  allocs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies FlagSpec;

export interface Settings {
  client: ClientConfig;
  /** Blocking query wait in ms. */
  waitMs: number;
  readOnly: boolean;
  warnings: string[];
}

type Values = Record<string, string | boolean | undefined>;
type Env = Record<string, string | undefined>;

function pick(values: Values, flag: string, env: Env, variable: string): string | undefined {
  const fromFlag = values[flag];
  if (typeof fromFlag === 'string') return fromFlag;
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** Token files and certificates are small; /dev/zero, a FIFO or a terminal would never end. */
const MAX_SETTING_FILE = 1024 * 1024;

function readText(path: string, what: string, flag: string, variable: string): string {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!stat.isFile()) throw new UsageError(`${what} ${path} is not a regular file (a device, a pipe or a terminal cannot be read to its end); check --${flag} or ${variable}`);
    if (stat.size > MAX_SETTING_FILE) throw new UsageError(`${what} ${path} is larger than 1 MB: not a ${what}; check --${flag} or ${variable}`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code ?? 'unreadable';
    throw new UsageError(`cannot read ${what} ${path} (${reason}); check --${flag} or ${variable}`);
  }
}

function readPem(path: string, what: string, flag: string, variable: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  const text = readText(path, what, flag, variable);
  const marker = kind === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/;
  if (!marker.test(text)) throw new UsageError(`${what} ${path} is not a PEM ${kind.toLowerCase()}; check --${flag} or ${variable}`);
  if (kind === 'CERTIFICATE') {
    // Each certificate must parse: OpenSSL skips a broken one in a CA bundle, and the agent's
    // certificate would then look untrusted instead of the file looking broken.
    for (const block of text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [text]) {
      try {
        new X509Certificate(block);
      } catch {
        throw new UsageError(`${what} ${path} holds a certificate that does not parse (bad base64 or not X.509); check --${flag} or ${variable}`);
      }
    }
  }
  return text;
}

/** Loads the PEM material the way the TLS connection will, so a broken file or a certificate
 * that does not match its key is reported at start, not on the first request. */
function checkTlsMaterial(tls: TlsSettings): void {
  try {
    createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') throw new UsageError('the client certificate and key do not match; check NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY (or --client-cert and --client-key)');
    if (/KEY|DECODER|PEM|BAD_BASE64|ASN1/i.test(code) && tls.key) throw new UsageError(`the client certificate or key cannot be loaded (${code}); check NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY`);
    throw new UsageError(`the TLS certificates cannot be loaded (${code || (error as Error).message}); check NOMAD_CACERT, NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY`);
  }
}

/** Go-style durations the nomad CLI accepts for wait: 30s, 5m, 1m30s, 250ms. */
function parseWait(raw: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(raw);
  if (!m || raw === '') throw new UsageError(`--wait must be a duration like 30s or 5m, not "${raw}"`);
  const ms = Number(m[1] ?? 0) * 3_600_000 + Number(m[2] ?? 0) * 60_000 + Number(m[3] ?? 0) * 1000 + Number(m[4] ?? 0);
  if (ms < 1000 || ms > 300_000) throw new UsageError(`--wait must be from 1s to 5m (Nomad caps blocking queries at 5m), not ${raw}`);
  return ms;
}

export function resolveSettings(values: Values, env: Env = process.env): Settings {
  const warnings: string[] = [];
  const address = pick(values, 'address', env, 'NOMAD_ADDR') ?? DEFAULT_ADDRESS;
  let resolved;
  try {
    resolved = resolveAddress(address);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (from --address or NOMAD_ADDR)`);
  }

  if (typeof values['token-file'] === 'string' && typeof values.token === 'string') throw new UsageError('give the ACL token once: --token-file or --token, not both');
  let token: string | undefined;
  if (typeof values['token-file'] === 'string') {
    token = readText(values['token-file'], 'token file', 'token-file', 'NOMAD_TOKEN').trim();
    if (!token) throw new UsageError(`token file ${values['token-file']} is empty; put the ACL token's secret ID in it`);
  } else if (typeof values.token === 'string') {
    token = values.token;
    warnings.push('--token is visible to other users in the process list; prefer --token-file or NOMAD_TOKEN');
  } else if (env.NOMAD_TOKEN) {
    token = env.NOMAD_TOKEN;
  }
  // An HTTP header carries printable ASCII only; Nomad's tokens are UUIDs.
  if (token !== undefined && /[\s\x00-\x1f]/.test(token)) throw new UsageError('the ACL token contains spaces or control characters; check NOMAD_TOKEN or --token-file');
  if (token !== undefined && /[^\x21-\x7e]/.test(token)) throw new UsageError('the ACL token has characters an HTTP header cannot carry (only printable ASCII); check NOMAD_TOKEN or --token-file');

  const httpAuth = pick(values, 'http-auth', env, 'NOMAD_HTTP_AUTH');
  if (httpAuth !== undefined && !httpAuth.includes(':')) throw new UsageError('--http-auth / NOMAD_HTTP_AUTH must be user:password');
  if (httpAuth !== undefined && /[^\x20-\x7e]/.test(httpAuth)) throw new UsageError('--http-auth / NOMAD_HTTP_AUTH has characters an HTTP header cannot carry (only printable ASCII)');
  if (typeof values['http-auth'] === 'string') warnings.push('--http-auth puts its password in the process list for other users to see; prefer NOMAD_HTTP_AUTH');

  const tls: TlsSettings = {};
  const caCert = pick(values, 'ca-cert', env, 'NOMAD_CACERT');
  const caPath = pick(values, 'ca-path', env, 'NOMAD_CAPATH');
  const ca: string[] = [];
  if (caCert) ca.push(readPem(caCert, 'CA certificate', 'ca-cert', 'NOMAD_CACERT', 'CERTIFICATE'));
  if (caPath) {
    let entries: string[];
    try {
      entries = statSync(caPath).isDirectory() ? readdirSync(caPath).filter((name) => /\.(pem|crt)$/.test(name)).map((name) => join(caPath, name)) : [caPath];
    } catch {
      throw new UsageError(`cannot read CA path ${caPath}; check --ca-path or NOMAD_CAPATH`);
    }
    if (entries.length === 0) throw new UsageError(`CA path ${caPath} holds no .pem or .crt files; check --ca-path or NOMAD_CAPATH`);
    for (const entry of entries) ca.push(readPem(entry, 'CA certificate', 'ca-path', 'NOMAD_CAPATH', 'CERTIFICATE'));
  }
  if (ca.length) tls.ca = ca;
  const clientCert = pick(values, 'client-cert', env, 'NOMAD_CLIENT_CERT');
  const clientKey = pick(values, 'client-key', env, 'NOMAD_CLIENT_KEY');
  if (Boolean(clientCert) !== Boolean(clientKey)) throw new UsageError('a client certificate and key go together: set both NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY (or --client-cert and --client-key)');
  if (clientCert && clientKey) {
    tls.cert = readPem(clientCert, 'client certificate', 'client-cert', 'NOMAD_CLIENT_CERT', 'CERTIFICATE');
    tls.key = readPem(clientKey, 'client key', 'client-key', 'NOMAD_CLIENT_KEY', 'PRIVATE KEY');
  }
  checkTlsMaterial(tls);
  const serverName = pick(values, 'tls-server-name', env, 'NOMAD_TLS_SERVER_NAME');
  if (serverName) tls.serverName = serverName;
  let skipVerify = values['tls-skip-verify'] === true;
  if (!skipVerify && env.NOMAD_SKIP_VERIFY !== undefined && env.NOMAD_SKIP_VERIFY !== '') skipVerify = parseBoolSetting(env.NOMAD_SKIP_VERIFY, 'NOMAD_SKIP_VERIFY');
  if (skipVerify) {
    tls.skipVerify = true;
    warnings.push('TLS verification is off (--tls-skip-verify / NOMAD_SKIP_VERIFY): the agent is not authenticated');
  }
  const hasTls = Object.keys(tls).length > 0;
  if (hasTls && !resolved.https && !skipVerify) warnings.push(`TLS settings are ignored for ${resolved.display}: use an https:// address`);

  const readOnlyEnv = env.ALLOCTOP_READ_ONLY;
  const readOnly = values['read-only'] === true || (readOnlyEnv !== undefined && readOnlyEnv !== '' && parseBoolSetting(readOnlyEnv, 'ALLOCTOP_READ_ONLY'));
  const waitMs = typeof values.wait === 'string' ? parseWait(values.wait) : 300_000;

  return {
    client: {
      address,
      token,
      region: pick(values, 'region', env, 'NOMAD_REGION'),
      namespace: pick(values, 'namespace', env, 'NOMAD_NAMESPACE'),
      httpAuth,
      tls: hasTls ? tls : undefined,
      readOnly,
    },
    waitMs,
    readOnly,
    warnings,
  };
}

export function demoAllocs(values: Values): number {
  return intFlag(values.allocs, 'allocs', 300, 1, 200_000);
}
