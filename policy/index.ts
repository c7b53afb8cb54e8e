// The policy pack: `pulumi preview --policy-pack policy` (see docs/policy.md). Constructing the
// PolicyPack starts the analyzer server, so nothing but the Pulumi CLI imports this file.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./pack.ts";

new PolicyPack(PACK_NAME, {
  description:
    "s2s-auth security invariants: callees behind assignment-required app roles and EasyAuth, " +
    "hardened sites, no secrets.",
  enforcementLevel: "mandatory",
  policies: policies(),
});
