/**
 * A throwaway self-signed certificate for the fake Management API, made at test time with
 * openssl (the Deploy CLI's SDK always speaks https). Valid for the IP 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestCert {
  /** PEM certificate; also the CA file the child trusts through NODE_EXTRA_CA_CERTS. */
  readonly certFile: string;
  readonly cert: string;
  readonly key: string;
}

/** Writes `cert.pem` and `key.pem` into `dir` (which must exist) and returns them. */
export function makeTestCert(dir: string): TestCert {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1',
        // CA:TRUE so that it can be a trust anchor in NODE_EXTRA_CA_CERTS.
        '-addext', 'basicConstraints=critical,CA:TRUE',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    throw new Error(`the deploy tests need openssl on PATH to make a test certificate: ${(err as Error).message}`);
  }
  return { certFile, cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
}
