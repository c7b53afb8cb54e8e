// The azure-native submodules this program uses, loaded with require() instead of `import * as`.
//
// They are CommonJS modules with one lazy getter per resource class. Importing one from an ES
// module makes Node build a namespace by reading every export, which fires every getter: the
// `web` submodule alone then loads about 190 files. require() keeps them lazy, which saves about
// 0.2 s on every `pulumi preview`/`up` and every plan (docs/performance.md). Types come from the
// same modules through `import type`, which costs nothing at run time.
import { createRequire } from "node:module";
import type * as App from "@pulumi/azure-native/app/index.js";
import type * as Authorization from "@pulumi/azure-native/authorization/index.js";
import type * as Resources from "@pulumi/azure-native/resources/index.js";
import type * as Storage from "@pulumi/azure-native/storage/index.js";
import type * as Web from "@pulumi/azure-native/web/index.js";

const require = createRequire(import.meta.url);

export const app: typeof App = require("@pulumi/azure-native/app/index.js");
export const authorization: typeof Authorization = require("@pulumi/azure-native/authorization/index.js");
export const resources: typeof Resources = require("@pulumi/azure-native/resources/index.js");
export const storage: typeof Storage = require("@pulumi/azure-native/storage/index.js");
export const web: typeof Web = require("@pulumi/azure-native/web/index.js");
