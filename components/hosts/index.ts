import type * as pulumi from "@pulumi/pulumi";
import type { Host } from "../../config.ts";
import { appService } from "./appService.ts";
import { containerApp } from "./containerApp.ts";
import { functionApp } from "./functionApp.ts";
import type { HostedApp, HostedAppArgs } from "./types.ts";

export type { ApiAuth, AppSetting, HostedApp } from "./types.ts";

const HOSTS: Record<Host, (name: string, args: HostedAppArgs, parent: pulumi.Resource) => HostedApp> = {
  appService,
  functionApp,
  containerApp,
};

/** Declares a service on its host; every host gets a system-assigned identity. */
export function hostedApp(host: Host, name: string, args: HostedAppArgs, parent: pulumi.Resource): HostedApp {
  return HOSTS[host](name, args, parent);
}
