// A throwaway PKI made with openssl at test time: a CA, a server certificate for localhost and
// 127.0.0.1, one for nomad.internal only, a client certificate, and an unrelated CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  path(name: string): string;
  read(name: string): string;
}

let cached: Pki | undefined;

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function signed(dir: string, name: string, subject: string, ext: string): void {
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
}

export function pki(): Pki {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'alloctop-pki-'));
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=alloctop test CA');
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=unrelated CA');
  signed(dir, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'internal', '/CN=nomad.internal', 'subjectAltName=DNS:nomad.internal\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'client', '/CN=alloctop', 'extendedKeyUsage=clientAuth\n');
  writeFileSync(join(dir, 'garbage.pem'), 'this is not a certificate\n');
  // Shared by every test in the file: removed when the process exits, not after one test.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  cached = { dir, path: (name) => join(dir, name), read: (name) => readFileSync(join(dir, name), 'utf8') };
  return cached;
}
