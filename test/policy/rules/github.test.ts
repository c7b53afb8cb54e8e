// policy/rules/github.ts: every GitHub environment a pipeline identity trusts is declared with
// it, deploys only from main, and review and prod need a reviewer's approval of every run. Each
// rule fires, alone and worded as the snapshot keeps it, on bootstrap's stacks with one setting broken.
import { githubRules } from "../../../policy/rules/github.ts";
import { setIn } from "../stacks.ts";
import { type Breakage, describeBreakages, loadStacks } from "./cases.ts";

const stacks = loadStacks("dev-tenant", "prod-tenant");

const breakages: Breakage[] = [
  {
    rule: "github-environment-declared",
    what: "deploy-dev trusting a dev environment the stack does not declare",
    stack: "dev-tenant",
    mutate: (m) => {
      m.remove("dev-environment");
      return "deploy-dev-fic-environment:dev";
    },
  },
  {
    rule: "github-environment-main-only",
    what: "dev deploying from any protected branch",
    stack: "dev-tenant",
    mutate: (m) => {
      setIn(m.named("dev-environment").inputs, ["deploymentBranchPolicy"], {
        protectedBranches: true,
        customBranchPolicies: false,
      });
      return "dev-environment";
    },
  },
  {
    rule: "github-environment-main-only",
    what: "review-cleanup deploying from every branch as well",
    stack: "dev-tenant",
    mutate: (m) => {
      m.named("review-cleanup-branch-main").inputs["branchPattern"] = "*";
      return "review-cleanup-environment";
    },
  },
  {
    rule: "github-environment-reviewed",
    what: "review without reviewers: a pull request's code would run as deploy-review unapproved",
    stack: "dev-tenant",
    mutate: (m) => {
      delete m.named("review-environment").inputs["reviewers"];
      return "review-environment";
    },
  },
  {
    rule: "github-environment-reviewed",
    what: "prod letting the author of a run approve it, and administrators bypass it",
    stack: "prod-tenant",
    mutate: (m) => {
      m.named("prod-environment").inputs["preventSelfReview"] = false;
      m.named("prod-environment").inputs["canAdminsBypass"] = true;
      return "prod-environment";
    },
  },
];

describeBreakages(stacks, githubRules, breakages);
