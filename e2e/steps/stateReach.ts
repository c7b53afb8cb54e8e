// Each environment's state is its own (issue 22): the review identity, which runs a pull request's code
// once a maintainer approved it, reads and writes its own stack state only. Its requests to dev's state
// container are refused by the Blob service as Azure refuses them (403 AuthorizationPermissionMismatch:
// no role of it grants the blob data actions there); to review's they pass. `twin request` asks as the
// identity (twin/src/dataplane.ts), what the azblob backend asks for on `pulumi up`.
import assert from "node:assert/strict";
import { step } from "./context.ts";

/** The operations the azblob backend makes on a stack's state: read, write, lock, delete. */
const STATE_OPERATIONS = ["Get Blob", "Put Blob", "Lease Blob", "Delete Blob"] as const;

export const stateReach = step({
  name: "state: a review identity cannot read, write or lock dev's stack state, only review's",
  needs: ["bootstrap"],
  run: async ({ ws, bootstrap }) => {
    const { clients, state } = bootstrap;
    const request = (operation: string, target: string) =>
      ws.twin(["request", "--as", clients.deployReview, operation, target], { allowFailure: true });
    const refused: string[] = [];
    for (const operation of STATE_OPERATIONS) {
      const own = await request(operation, state.containers.review);
      assert(own.code === 0, `deploy-review's ${operation} on review's state was refused: ${own.stdout}`);
      const dev = await request(operation, state.containers.dev);
      assert(
        dev.code === 3 && dev.stdout.startsWith("403 AuthorizationPermissionMismatch"),
        `deploy-review's ${operation} on dev's state was not refused: ${dev.stdout}${dev.stderr}`,
      );
      refused.push(operation);
    }
    return `on dev's state ${refused.join(", ")}: 403 AuthorizationPermissionMismatch; on review's own: allowed`;
  },
});
