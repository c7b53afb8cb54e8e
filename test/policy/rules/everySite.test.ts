// policy/rules/everySite.ts: every site's hardening (HTTPS, TLS, FTPS, remote debugging,
// basic-auth publishing, CORS, a system-assigned identity). Each rule fires, alone and worded as
// the snapshot keeps it, on a copy of the repository's stacks with one property broken; the
// settings it must accept leave no finding.
import { evaluate } from "../../../policy/rules/index.ts";
import { everySiteRules } from "../../../policy/rules/everySite.ts";
import { Mutable, setIn } from "../stacks.ts";
import {
  type Acceptable,
  asPlan,
  type Breakage,
  ctxOf,
  describeAcceptable,
  describeBreakages,
  loadStacks,
  setInput,
  siteBreaks,
} from "./cases.ts";

const stacks = loadStacks("dev", "prod", "mixed");

const breakages: Breakage[] = [
  ...siteBreaks("site-https-only", "httpsOnly false", ["httpsOnly"], false),
  ...siteBreaks("site-https-only", "httpsOnly missing", ["httpsOnly"], undefined),
  ...siteBreaks("site-min-tls", "TLS 1.0", ["siteConfig", "minTlsVersion"], "1.0"),
  ...siteBreaks("site-min-tls", "SCM TLS 1.1", ["siteConfig", "scmMinTlsVersion"], "1.1"),
  ...siteBreaks("site-ftps-disabled", "FTPS allowed", ["siteConfig", "ftpsState"], "FtpsOnly"),
  ...siteBreaks("site-remote-debugging-off", "remote debugging on", ["siteConfig", "remoteDebuggingEnabled"], true),
  ...siteBreaks(
    "site-no-wildcard-cors",
    "CORS *",
    ["siteConfig", "cors", "allowedOrigins"],
    ["https://ok.example", "*"],
  ),
  ...siteBreaks("site-system-identity", "no identity", ["identity"], undefined),
  ...siteBreaks("site-system-identity", "user-assigned identity only", ["identity", "type"], "UserAssigned"),
  // Hosts other than App Service web apps (examples/Pulumi.mixed.yaml).
  {
    rule: "site-ftps-disabled",
    what: "FTPS allowed on a function app",
    stack: "mixed",
    mutate: setInput("ingest-site", ["siteConfig", "ftpsState"], "AllAllowed"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "SCM basic auth on a function app",
    stack: "mixed",
    mutate: (m) => (setIn(m.named("ingest-site-scm").inputs, ["allow"], true), "ingest-site"),
  },
  {
    rule: "site-https-only",
    what: "plain HTTP on a container app",
    stack: "mixed",
    mutate: setInput("orders-container", ["configuration", "ingress", "allowInsecure"], true),
  },
  {
    rule: "site-https-only",
    what: "allowInsecure left to the default",
    stack: "mixed",
    mutate: setInput("orders-container", ["configuration", "ingress", "allowInsecure"], undefined),
  },
  {
    rule: "site-no-wildcard-cors",
    what: "CORS * on a container app",
    stack: "mixed",
    mutate: setInput("orders-container", ["configuration", "ingress", "corsPolicy"], { allowedOrigins: ["*"] }),
  },
  {
    rule: "site-system-identity",
    what: "no identity on a container app",
    stack: "mixed",
    mutate: setInput("orders-container", ["identity"], undefined),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "FTP basic auth allowed",
    stack: "prod",
    mutate: (m) => (setIn(m.named("the-callee-site-ftp").inputs, ["allow"], true), "the-callee-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "SCM basic auth allowed",
    stack: "dev",
    mutate: (m) => (setIn(m.named("the-caller-site-scm").inputs, ["allow"], true), "the-caller-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "no FTP policy",
    stack: "prod",
    mutate: (m) => (m.remove("the-caller-site-ftp"), "the-caller-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "no SCM policy",
    stack: "dev",
    mutate: (m) => (m.remove("the-callee-site-scm"), "the-callee-site"),
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "the FTP policy moved away from the site (name not known yet)",
    stack: "prod",
    mutate: (m) => {
      const ftp = m.named("the-caller-site-ftp");
      delete ftp.inputs["name"];
      ftp.parent = m.named("s2s-auth").urn;
      return "the-caller-site";
    },
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "only another site's FTP policy beside the site (name not known yet)",
    stack: "prod",
    mutate: (m) => {
      const ftp = m.named("the-caller-site-ftp");
      delete ftp.inputs["name"];
      ftp.name = "the-caller-other-site-ftp";
      return "the-caller-site";
    },
  },
  {
    rule: "site-basic-auth-publishing-off",
    what: "a named site whose FTP policy names another site",
    stack: "prod",
    mutate: (m) => {
      m.named("the-caller-site").inputs["name"] = "caller-web";
      m.named("the-caller-site-ftp").inputs["name"] = "other-web";
      m.named("the-caller-site-scm").inputs["name"] = "caller-web";
      return "the-caller-site";
    },
  },
];

describeBreakages(stacks, everySiteRules, breakages, true);

const acceptable: Acceptable[] = [
  {
    what: "a container app without ingress (nothing to reach)",
    stack: "mixed",
    mutate: (m) => setIn(m.named("orders-container").inputs, ["configuration", "ingress"], undefined),
  },
  {
    what: "a site that leaves the SCM TLS version to the site's",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-site").inputs, ["siteConfig", "scmMinTlsVersion"], undefined),
  },
  {
    what: "TLS 1.3",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-callee-site").inputs, ["siteConfig", "minTlsVersion"], "1.3"),
  },
  {
    what: "system- and user-assigned identities together",
    stack: "prod",
    mutate: (m) => setIn(m.named("the-caller-site").inputs, ["identity", "type"], "UserAssigned, SystemAssigned"),
  },
  {
    what: "a named site whose basic-auth policies name it",
    stack: "prod",
    mutate: (m) => {
      setIn(m.named("the-caller-site").inputs, ["name"], "caller-web");
      for (const p of ["the-caller-site-ftp", "the-caller-site-scm"]) {
        const policy = m.named(p);
        policy.inputs["name"] = "caller-web";
        policy.parent = undefined;
      }
    },
  },
];

describeAcceptable(stacks, acceptable);

describe("offline plan placeholders", () => {
  test("basic-auth policies are related to their site through the placeholder", () => {
    const m = new Mutable(asPlan(stacks.prod));
    // Renamed and moved: only the `name` reference ties the policy to the callee's site.
    const ftp = m.named("the-callee-site-ftp");
    ftp.name = "renamed";
    ftp.parent = undefined;
    expect(evaluate(m.resources, ctxOf("prod"))).toEqual([]);
    ftp.inputs["allow"] = true;
    expect(evaluate(m.resources, ctxOf("prod")).map((f) => [f.policy, f.urn])).toEqual([
      ["site-basic-auth-publishing-off", m.named("the-callee-site").urn],
    ]);
  });
});
