// What both example callers do once they can sign in: get a token for the callee's Application ID
// URI, call the callee with it, print the answer as one JSON line and exit 0 only on success.
import type { TokenCredential } from "@azure/identity";

export async function callCallee(
  label: string,
  credential: () => TokenCredential,
  url: string,
  applicationIdUri: string,
): Promise<never> {
  try {
    const got = await credential().getToken(`${applicationIdUri}/.default`);
    if (!got) throw new Error(`no token for ${applicationIdUri}`);
    const res = await fetch(url, { headers: { authorization: `Bearer ${got.token}` } });
    console.log(JSON.stringify({ status: res.status, body: await res.text() }));
    process.exit(res.ok ? 0 : 1);
  } catch (err) {
    console.error(`${label}: ${(err as Error).message}`);
    process.exit(1);
  }
}
