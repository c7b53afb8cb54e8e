// Which pulumi command lines make the providers sign in first: those that reach Azure, found past
// the CLI's global options.
import { pulumiReachesAzure } from "../../../../e2e/workflows/runner/signin.ts";

test("up, preview, destroy, refresh and import reach Azure, wherever the options stand", () => {
  expect(pulumiReachesAzure(["up", "--yes", "--stack", "dev"])).toBe("up");
  expect(pulumiReachesAzure(["--cwd", "pr", "preview", "--stack", "dev"])).toBe("preview");
  expect(pulumiReachesAzure(["-C", "up", "destroy"])).toBe("destroy");
  expect(pulumiReachesAzure(["--non-interactive", "refresh"])).toBe("refresh");
});

test("login, stack and config commands do not", () => {
  for (const args of [["login", "file:///x"], ["stack", "select", "--create", "up"], ["config", "get", "x"], []])
    expect(pulumiReachesAzure(args)).toBeUndefined();
});
