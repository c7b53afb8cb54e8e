// Where bootstrap/ is, for `npm run plan -- --project bootstrap` (its names: model/pipeline.ts).
import { resolve } from "node:path";

export const PROJECT_DIR = resolve(import.meta.dirname);
