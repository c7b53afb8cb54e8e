// tools/plan/render.ts: the plan as terminal text and as a Markdown PR comment.
import { buildPlan } from "../../../tools/plan/document.ts";
import { invokeSource, placeholder } from "../../../model/index.ts";
import { renderPlanMarkdown, renderPlanText, shortenPlaceholders } from "../../../tools/plan/render.ts";
import { planStack } from "./stacks.ts";

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
      "| Callee | Principal | Type | Role |\n|---|---|---|---|\n| the-callee | the-caller | ManagedIdentity | Invoke |",
    );
    expect(md).toContain("<details><summary>Resources</summary>");
  });
});
