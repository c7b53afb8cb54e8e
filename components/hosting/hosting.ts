// What every service of a stack runs in: resource group, App Service plan, Container Apps environment.
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_TYPE } from "../../model/index.ts";
import { app, resources, web } from "../azureNative.ts";

export interface HostingArgs {
  /** Azure region of the resource group and the plan. */
  location: pulumi.Input<string>;
  /** App Service plan SKU name, e.g. `B1`. */
  sku: string;
  /** Also declare a Container Apps environment, for container app hosts. */
  containerApps: boolean;
}

/**
 * What every service of the stack runs in: one resource group, one Linux App Service plan
 * (web and function apps) and, when a service is a container app, one Container Apps
 * environment.
 */
export class Hosting extends pulumi.ComponentResource {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly resourceGroupId: pulumi.Output<string>;
  /** Id of the Container Apps environment; undefined when no service needs one. */
  readonly containerAppsEnvironmentId: pulumi.Output<string> | undefined;
  readonly planId: pulumi.Output<string>;
  /** The plan's SKU name: what a host may enable depends on it (e.g. Always On). */
  readonly sku: string;
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: HostingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPE.hosting, name, {}, opts);
    const group = new resources.ResourceGroup(`${name}-rg`, { location: args.location }, { parent: this });
    const plan = new web.AppServicePlan(
      `${name}-plan`,
      {
        resourceGroupName: group.name,
        location: group.location,
        kind: "linux",
        reserved: true, // required for Linux plans
        sku: { name: args.sku },
      },
      { parent: this },
    );
    this.containerAppsEnvironmentId = args.containerApps
      ? new app.ManagedEnvironment(
          `${name}-env`,
          { resourceGroupName: group.name, location: group.location },
          { parent: this },
        ).id
      : undefined;
    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;
    this.planId = plan.id;
    this.sku = args.sku;
    this.location = group.location;
    this.registerOutputs({ resourceGroupName: this.resourceGroupName, planId: this.planId });
  }
}
