// The hosts a service can run on, each behind the one HostedApp interface.
import type * as pulumi from "@pulumi/pulumi";
import type { Host } from "../../model/index.ts";
import { appService } from "./appService.ts";
import { containerApp } from "./containerApp.ts";
import { functionApp } from "./functionApp.ts";
import type { HostedApp, HostedAppArgs } from "./hostedApp.ts";

/** How each host of model/service.ts's list declares a service: one entry per host, no more. */
const DECLARE_ON = { appService, functionApp, containerApp } satisfies Record<
  Host,
  (name: string, args: HostedAppArgs, parent: pulumi.Resource) => HostedApp
>;

/** Declares a service on its host; every host gets a system-assigned identity. */
export function hostedApp(host: Host, name: string, args: HostedAppArgs, parent: pulumi.Resource): HostedApp {
  return DECLARE_ON[host](name, args, parent);
}
