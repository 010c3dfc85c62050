/**
 * Signs service-account JWTs with the cluster's service-account key (`tls/sa.key`):
 * RS256 for RSA keys (upstream's default, kubeadm makes an RSA key), ES256 for P-256
 * keys. The key id is upstream's: the unpadded base64url SHA-256 of the public key's
 * DER encoding.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';

/** A key pair ready to sign and verify tokens. */
export interface TokenKeys {
  sign(payload: JWTPayload): Promise<string>;
  /** Verifies the signature (only: claims are checked by the caller); throws on a bad token. */
  verify(token: string): Promise<JWTVerifyResult>;
}

function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return 'ES256';
  throw new Error(`service-account key of type ${key.asymmetricKeyType ?? 'unknown'} is not supported`);
}

/** Loads the PKCS#8 PEM private key `privateKeyPem` as a token signer and verifier. */
export function tokenKeys(privateKeyPem: string): TokenKeys {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const alg = algorithmOf(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url');
  return {
    sign: (payload) => new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(privateKey),
    // Time claims are judged by the caller, which reports upstream's messages.
    verify: (token) => jwtVerify(token, publicKey, { algorithms: [alg], clockTolerance: Number.MAX_SAFE_INTEGER }),
  };
}
