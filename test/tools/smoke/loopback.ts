// A stand-in for a callee behind EasyAuth, on 127.0.0.1 only, and a fake credential.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Loopback {
  url: string;
  /** Every request's path and Authorization header, in order. */
  requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: Loopback["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** An unsigned JWT with the given claims: enough for code that only reads them. */
export function fakeJwt(claims: Record<string, string>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}

/** A TokenCredential that hands out a fixed token, or throws a fixed error, and records scopes. */
export class FakeCredential implements TokenCredential {
  readonly scopes: string[] = [];
  private readonly result: { token: string } | { error: unknown };
  constructor(result: { token: string } | { error: unknown }) {
    this.result = result;
  }
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    if ("error" in this.result) throw this.result.error;
    return { token: this.result.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}
