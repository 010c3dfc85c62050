/**
 * The one entry point to `@peculiar/x509` for k8ts: loads the Reflect polyfill the
 * library needs before it is evaluated, and points it at Node's WebCrypto. Import
 * X.509 classes from here, never from the package directly.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

export { x509, webcrypto };
