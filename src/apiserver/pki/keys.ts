/**
 * Key pairs for the cluster PKI: generation (ECDSA P-256, accepted by Go, Node and
 * OpenSSL alike and fast to make), PEM encoding, and loading PEM keys back into
 * WebCrypto so they can sign.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { webcrypto, x509 } from './x509.js';

type CryptoKey = webcrypto.CryptoKey;

/** A WebCrypto key pair that can sign certificates or tokens. */
export interface SigningKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const P256: webcrypto.EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** Generates a fresh, extractable ECDSA P-256 key pair. */
export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  return webcrypto.subtle.generateKey(P256, true, ['sign', 'verify']);
}

/** The PKCS#8 PEM (`PRIVATE KEY`) of an extractable private key. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** The SubjectPublicKeyInfo PEM (`PUBLIC KEY`) of a public key. */
export async function publicKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('spki', key);
  return x509.PemConverter.encode(der, 'PUBLIC KEY');
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The WebCrypto algorithm that signs with a key of this type (ECDSA on a named curve, or RSA PKCS#1 v1.5). */
function importAlgorithm(key: KeyObject): webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams {
  if (key.asymmetricKeyType === 'ec') {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve !== undefined) return { name: 'ECDSA', namedCurve: curve };
  }
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  throw new Error(
    `unsupported private key type ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim(),
  );
}

/**
 * Loads a PEM private key (PKCS#8, SEC1 `EC PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`)
 * with its public half. Supports ECDSA on P-256/P-384/P-521 and RSA; throws otherwise.
 */
export async function importSigningKeyPair(privateKeyPem: string): Promise<SigningKeyPair> {
  const privateObject = createPrivateKey(privateKeyPem);
  const algorithm = importAlgorithm(privateObject);
  const pkcs8 = privateObject.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(privateObject).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']),
    webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** The DER SubjectPublicKeyInfo of the public half of a PEM private key. */
export function publicKeyInfoOf(privateKeyPem: string): Buffer {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
}

/** The WebCrypto parameters for signing certificates with `key`, always over SHA-256. */
export function signingAlgorithmFor(key: CryptoKey): webcrypto.EcdsaParams | webcrypto.Algorithm {
  return key.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: key.algorithm.name };
}
