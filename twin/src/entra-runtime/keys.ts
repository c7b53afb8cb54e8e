// Signing keys: one for the tenant's access tokens (published on its JWKS endpoint) and one for
// the GitHub-Actions-like OIDC issuer whose tokens apps exchange through federated credentials.
// Generated per run: nothing secret is stored, and a token from an earlier run no longer verifies.
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
} from "jose";

const ALG = "RS256";

export interface Signer {
  jwks: JSONWebKeySet;
  sign(claims: JWTPayload): Promise<string>;
  /** Checks the signature only; claim checks belong to the caller (each names its own rules). */
  verify(token: string): Promise<JWTPayload | undefined>;
}

export async function newSigner(): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const jwks: JSONWebKeySet = { keys: [{ ...jwk, kid, use: "sig", alg: ALG, kty: "RSA" }] };
  const local = createLocalJWKSet(jwks);
  return {
    jwks,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: ALG, typ: "JWT", kid }).sign(privateKey),
    verify: async (token) => {
      try {
        // Time claims are checked by the callers against their own rules; jose would also check them.
        const { payload } = await jwtVerify(token, local, {
          algorithms: [ALG],
          clockTolerance: Number.MAX_SAFE_INTEGER,
        });
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
