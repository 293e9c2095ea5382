import { generate } from 'selfsigned';

export interface LoopbackCertificate {
  /** PEM; a client trusts the fake by passing it as `ca`. */
  cert: string;
  /** PEM private key of the certificate. */
  key: string;
}

/** A fresh self-signed certificate for a fake listening on loopback: valid for localhost, 127.0.0.1 and ::1. */
export async function selfSignedLoopbackCertificate(): Promise<LoopbackCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
