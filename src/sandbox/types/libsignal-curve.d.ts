// libsignal's curve module ships no types; only the boolean verifier is used (to check signatures for real,
// unlike Baileys' Curve.verify, which returns true unless libsignal throws).
declare module 'libsignal/src/curve.js' {
  export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}
