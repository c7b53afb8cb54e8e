// The repository on "GitHub" for npm run e2e:workflows: a local git repository holding the
// project as a first commit on `main`, then the commits the events bring (a branch's pull request,
// a fork's, pushes), with the refs GitHub keeps for pull requests (`refs/pull/<n>/head` and the
// test merge `refs/pull/<n>/merge`). The checkout stand-in clones from it; the harness reads the
// workflow files of the commit each event runs from it.
import { execFileSync } from "node:child_process";
import { copyFileSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "../env.ts";

const AUTHOR = ["-c", "user.name=s2s-auth e2e", "-c", "user.email=e2e@s2s-auth.invalid"];

export class Repository {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** A repository whose `main` is one commit: the project's files as git sees them (tracked and new, not ignored). */
  static create(dir: string): Repository {
    mkdirSync(dir, { recursive: true });
    const repo = new Repository(dir);
    repo.git("init", "--quiet", "--initial-branch=main");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
      .split("\0")
      .filter(Boolean);
    // Files only: one git still tracks but the worktree deleted is not part of the project, and a
    // checkout whose node_modules is a link (as in ci.yml under this harness) lists that link.
    for (const file of files.filter((f) => lstatSync(join(ROOT, f), { throwIfNoEntry: false })?.isFile() === true)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(dir, file));
    }
    repo.git("add", "--all");
    repo.git(...AUTHOR, "commit", "--quiet", "-m", "the project");
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
  }

  /** The commit a ref (or SHA) names. */
  sha(ref: string): string {
    return this.git("rev-parse", "--verify", `${ref}^{commit}`);
  }

  /** A file's text at a commit. */
  read(commit: string, path: string): string {
    return this.git("show", `${commit}:${path}`);
  }

  /**
   * A commit on top of `parent` whose files differ by `changes` (path → new text, or null to
   * delete), made without touching the worktree; returns its SHA.
   */
  commit(parent: string, changes: Readonly<Record<string, string | null>>, message: string): string {
    const index = join(this.dir, ".git", `e2e-index-${process.pid}`);
    const env = { ...process.env, GIT_INDEX_FILE: index };
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: this.dir, env, encoding: "utf8", input: "" }).trim();
    git("read-tree", parent);
    for (const [path, text] of Object.entries(changes)) {
      if (text === null) {
        git("update-index", "--force-remove", path);
        continue;
      }
      const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], {
        cwd: this.dir,
        encoding: "utf8",
        input: text,
      }).trim();
      git("update-index", "--add", "--cacheinfo", `100644,${blob},${path}`);
    }
    const tree = git("write-tree");
    rmSync(index, { force: true });
    return execFileSync("git", [...AUTHOR, "commit-tree", tree, "-p", parent, "-m", message], {
      cwd: this.dir,
      encoding: "utf8",
    }).trim();
  }

  setRef(ref: string, sha: string): void {
    this.git("update-ref", ref, sha);
  }

  /**
   * The refs GitHub keeps for pull request `number`: its head, and the test merge of that head into
   * the base branch (the commit a `pull_request` run checks out and reads its workflows from).
   * Returns the merge commit's SHA.
   */
  pullRefs(number: number, head: string, base: string): string {
    this.setRef(`refs/pull/${number}/head`, head);
    const tree = this.git("merge-tree", "--write-tree", base, head).split("\n")[0]!;
    const merge = execFileSync(
      "git",
      [...AUTHOR, "commit-tree", tree, "-p", base, "-p", head, "-m", `Merge ${head} into ${base}`],
      { cwd: this.dir, encoding: "utf8" },
    ).trim();
    this.setRef(`refs/pull/${number}/merge`, merge);
    return merge;
  }

  /** Paths that differ between two commits (what GitHub lists as a pull request's files). */
  changedFiles(base: string, head: string): string[] {
    return this.git("diff", "--name-only", `${base}...${head}`).split("\n").filter(Boolean);
  }

  /** The commit's `.github/` folder, written under `dest`. */
  extractGithubDir(commit: string, dest: string): void {
    mkdirSync(dest, { recursive: true });
    const archive = execFileSync("git", ["archive", "--format=tar", commit, ".github"], {
      cwd: this.dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", dest], { input: archive });
  }
}
