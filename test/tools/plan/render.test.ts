// tools/plan/render.ts: the plan as terminal text and as a Markdown PR comment.
import { buildPlan } from "../../../tools/plan/document.ts";
import { invokeSource, placeholder } from "../../../model/index.ts";
import { renderPlanMarkdown, renderPlanText, shortenPlaceholders } from "../../../tools/plan/render.ts";
import main from "../../../index.ts";
import { recordProgram } from "../../../tools/plan/recorder.ts";
import { baseConfig } from "../../fixtures/index.ts";
import { codeTexts, HOSTILE, notText } from "./gfm.ts";
import { readStackFiles } from "../../../tools/plan/stackConfig.ts";
import { resolve } from "node:path";
import { planStack, PROJECT_DIR } from "./stacks.ts";

describe("shortenPlaceholders", () => {
  it("names resources by their name and invokes by their function", () => {
    const site = "urn:pulumi:dev::p::a:b:C$azure-native:web:WebApp::the-site";
    const lookup = placeholder(
      invokeSource("azuread:index/getServicePrincipal:getServicePrincipal", {
        objectId: placeholder(site, "identity.principalId"),
      }),
      "clientId",
    );
    expect(shortenPlaceholders(`https://${placeholder(site, "defaultHostName")}/`)).toBe(
      "https://${the-site#defaultHostName}/",
    );
    expect(shortenPlaceholders(lookup)).toBe("${getServicePrincipal(${the-site#identity.principalId})#clientId}");
  });
});

describe("renderPlanText", () => {
  it("shows the tree by component, the security inputs, the access matrix and the findings", async () => {
    const text = renderPlanText(await planStack("dev"));
    const lines = text.split("\n");
    expect(lines).toContain("     s2s-auth-dev (pulumi:pulumi:Stack)");
    expect(lines.find((l) => l.includes("azure-native:web:WebApp ") && l.includes("the-caller-site"))).toMatch(
      /^ \+ {3}│? *[├└]─ azure-native:web:WebApp +the-caller-site {2}httpsOnly=true type=SystemAssigned minTlsVersion=1\.2/,
    );
    expect(lines.find((l) => l.includes("the-caller_to_the-callee-assignment"))).toContain(
      "principalObjectId=${getServicePrincipal(${the-caller-site#identity.principalId})#objectId}",
    );
    expect(text).toContain(
      "Access: who can obtain a token for each callee\n  the-callee\n    ManagedIdentity   the-caller",
    );
    expect(text).toMatch(/ {4}User {14}developer@contoso\.example +Invoke\n/);
    expect(text).toContain("Findings: none\n");
    expect(text).not.toContain("[protect]");
  });

  it("marks protected resources and lists findings", async () => {
    const prod = await planStack("prod", [
      (resources) => [{ severity: "warning", policy: "test-rule", urn: resources[0]!.urn, message: "look at this" }],
    ]);
    const text = renderPlanText(prod);
    expect(text).toMatch(/azure-native:web:WebApp +the-callee-site {2}\[protect\]/);
    expect(text).toContain("(17 of 17 protected)");
    expect(text).toContain("Findings: 1\n  warning test-rule  s2s-auth: look at this\n");
  });

  it("says so when nobody has access", () => {
    const plan = buildPlan(
      { project: "p", stack: "dev", resources: [], outputs: {} },
      { environment: "dev", rules: [] },
    );
    expect(renderPlanText(plan)).toContain("nobody: no principal can obtain a token for any callee");
  });
});

describe("renderPlanMarkdown", () => {
  it("is a PR comment with the access table", async () => {
    const md = renderPlanMarkdown(await planStack("dev"));
    expect(md).toContain("### Offline plan: `s2s-auth` stack `dev`");
    expect(md).toContain(
      "| Callee | Principal | Type | Role |\n|---|---|---|---|\n" +
        "| `the-callee` | `the-caller` | `ManagedIdentity` | `Invoke` |",
    );
    expect(md).toContain("<details><summary>Resources</summary>");
  });
});

// Issue 23, item 2: a user named `[Approve](https://evil.example/phish)@contoso.example` rendered as a
// live link in GitHub's own Markdown. Every value a plan carries is now a code span.
describe("renderPlanMarkdown keeps every value text (read back through a GFM parser)", () => {
  it("values a config may hold, through the real program: a role www.evil.example, a UPN of ~, _ and #", async () => {
    const config = {
      ...baseConfig("dev"),
      "s2s-auth:callees": [
        {
          name: "the-callee",
          appRoles: [{ value: "www.evil.example", displayName: HOSTILE[0]!, description: HOSTILE[3]! }],
        },
      ],
      "s2s-auth:devAccess": {
        users: ["~~x~~_y_#1@www.evil.example"],
        groups: ["11111111-2222-3333-4444-555555555555"],
      },
    };
    const recording = await recordProgram({ project: "s2s-auth", stack: "dev", config, program: main });
    const md = renderPlanMarkdown(buildPlan(recording, { environment: "dev", rules: [] }));
    expect(notText(md)).toEqual([]);
    expect(codeTexts(md)).toEqual(expect.arrayContaining(["www.evil.example", "~~x~~_y_#1@www.evil.example"]));
  });

  it("a plan document as hostile as a pull request's artifact can make it", async () => {
    const plan = structuredClone(await planStack("dev"));
    const [root, site] = [plan.steps[0]!, plan.steps.find((s) => s.newState.type === "azure-native:web:WebApp")!];
    for (const value of HOSTILE) {
      plan.access.push({ callee: value, principal: value, principalType: value as "User", role: value, grant: "x" });
      const urn = `${site.urn.slice(0, site.urn.lastIndexOf("::"))}::${value}`;
      plan.steps.push({
        op: "create",
        urn,
        newState: { ...site.newState, urn, parent: root.urn, inputs: { httpsOnly: value } },
      });
      plan.diagnostics.push({ severity: "warning", policy: value, urn, message: value });
    }
    const md = renderPlanMarkdown({ ...plan, project: HOSTILE[0]!, stack: HOSTILE[5]! });
    expect(notText(md)).toEqual([]);
    const texts = codeTexts(md);
    for (const value of HOSTILE) expect(texts.filter((t) => t.includes(value.trim())).length).toBeGreaterThanOrEqual(5);
  });
});

// Issue 23, item 6: the access matrix presented every callee as guarded twice. Microsoft's Container Apps
// authentication docs describe no allowed-applications check, and the twin enforces none there: on
// Container Apps the app role assignment is the only gate, and the plan says so.
describe("a callee on Container Apps", () => {
  let md: string;
  let text: string;
  beforeAll(async () => {
    const files = readStackFiles(PROJECT_DIR, "mixed", resolve(PROJECT_DIR, "examples/Pulumi.mixed.yaml"));
    const recording = await recordProgram({
      project: files.project,
      stack: "mixed",
      config: files.config,
      program: main,
    });
    const plan = buildPlan(recording, { environment: "test", rules: [] });
    [md, text] = [renderPlanMarkdown(plan), renderPlanText(plan)];
  });

  it("is marked in the text matrix, and a note says what its app must check itself", () => {
    expect(text).toContain("  orders  (Container Apps: the app role assignment is the only gate)\n");
    expect(text).toContain("  ledger\n");
    expect(text).toContain(
      "  Container Apps authentication checks no allowed applications: an app there must check the token's " +
        "roles claim (and azp/appid, the caller's client id) itself.\n",
    );
  });

  it("is named in a note under the Markdown access table", () => {
    expect(md).toContain(
      "> [!NOTE]\n> On Container Apps (`orders`) the app role assignment is the only gate: Container Apps " +
        "authentication checks no allowed applications, so the app must check the token's `roles` claim " +
        "(and `azp`/`appid`, the caller's client id) itself.\n",
    );
    expect(notText(md)).toEqual([]);
  });

  it("is not claimed for App Service callees", async () => {
    const dev = await planStack("dev");
    expect(renderPlanText(dev)).not.toContain("Container Apps");
    expect(renderPlanMarkdown(dev)).not.toContain("Container Apps");
  });
});
