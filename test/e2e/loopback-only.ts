// Preloaded (--import) into child processes the tests start: any host name lookup other than
// localhost is refused and reported on stderr, so a client that tries to reach Entra or GitHub
// on the internet fails loudly instead of sending traffic anywhere but 127.0.0.1.
import dns from "node:dns";

type Callback = (err: NodeJS.ErrnoException | null, address?: string, family?: number) => void;
const original = dns.lookup;
const guarded = function (hostname: string, ...rest: unknown[]): void {
  const callback = rest[rest.length - 1] as Callback;
  if (hostname !== "localhost") {
    process.stderr.write(`egress blocked: ${hostname}\n`);
    const err: NodeJS.ErrnoException = new Error(`egress blocked: ${hostname}`);
    err.code = "ENOTFOUND";
    process.nextTick(() => callback(err));
    return;
  }
  (original as unknown as (...a: unknown[]) => void)(hostname, ...rest);
};
(dns as unknown as { lookup: unknown }).lookup = guarded;
