// policy/rules/tenant.ts: where prod lives, no identity that anything but the prod environment can
// reach holds a tenant-wide Graph write (issue 22, finding 2): an error, or, acknowledged by the
// stack's config, a warning on every plan and preview. The wording is kept in the snapshot.
import { SHARED_TENANT_TAG } from "../../../model/index.ts";
import { tenantRules } from "../../../policy/rules/tenant.ts";
import { type Breakage, describeBreakages, loadStacks } from "./cases.ts";

const stacks = loadStacks("one-tenant");

const breakages: Breakage[] = [
  {
    rule: "tenant-prod-graph-isolated",
    what: "deploy-dev in prod's tenant without the stack's acknowledgement",
    stack: "one-tenant",
    also: ["tenant-prod-graph-shared"],
    mutate: (m) => {
      const app = m.named("deploy-dev-app");
      app.inputs["tags"] = (app.inputs["tags"] as string[]).filter((t) => t !== SHARED_TENANT_TAG);
      return "deploy-dev-graph-AppRoleAssignment.ReadWrite.All";
    },
  },
  {
    rule: "tenant-prod-graph-shared",
    what: "the one-tenant example as shipped: the shared tenant acknowledged",
    stack: "one-tenant",
    mutate: () => "deploy-review-graph-AppRoleAssignment.ReadWrite.All",
  },
];

describeBreakages(stacks, tenantRules, breakages);
