// The hosts a service can run on, each behind the one HostedApp interface.
import type * as pulumi from "@pulumi/pulumi";
import { appService } from "./appService.ts";
import { containerApp } from "./containerApp.ts";
import { functionApp } from "./functionApp.ts";
import type { HostedApp, HostedAppArgs } from "./hostedApp.ts";

const HOSTS = { appService, functionApp, containerApp } satisfies Record<
  string,
  (name: string, args: HostedAppArgs, parent: pulumi.Resource) => HostedApp
>;

/** Where a service runs: App Service, Function App or Container App. */
export type Host = keyof typeof HOSTS;

/** Declares a service on its host; every host gets a system-assigned identity. */
export function hostedApp(host: Host, name: string, args: HostedAppArgs, parent: pulumi.Resource): HostedApp {
  return HOSTS[host](name, args, parent);
}
