// Decrypts a Web Push message body the way a browser does, with the http_ece library the npm web-push package uses
// (the same copy: web-push depends on it and npm dedupes it), so tests prove Nudge's RFC 8291 encryption against an
// independent implementation.
//
//   echo '{"body":"<base64url>","privateKey":"<base64url>","auth":"<base64url>"}' | node push-decrypt.mjs
//
// privateKey is the subscriber's (browser's) P-256 private key, auth its 16-byte secret. Prints the plaintext and
// exits 0; prints the error and exits 1 when the body does not decrypt.
import { createECDH } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Resolved from web-push's own folder: exactly the decryption code web-push ships.
const ece = createRequire(require.resolve('web-push'))('http_ece');

let input = '';
for await (const chunk of process.stdin) input += chunk;

try {
  const { body, privateKey, auth } = JSON.parse(input);
  const receiver = createECDH('prime256v1');
  receiver.setPrivateKey(Buffer.from(privateKey, 'base64url'));
  const plaintext = ece.decrypt(Buffer.from(body, 'base64url'), {
    version: 'aes128gcm',
    privateKey: receiver,
    authSecret: auth,
  });
  process.stdout.write(plaintext.toString('utf8'));
} catch (error) {
  console.error(`decryption failed: ${error.message}`);
  process.exit(1);
}
