import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources/index.js";
import * as web from "@pulumi/azure-native/web/index.js";

export interface HostingArgs {
  /** Azure region of the resource group and the plan. */
  location: pulumi.Input<string>;
  /** App Service plan SKU name, e.g. `B1`. */
  sku: pulumi.Input<string>;
}

/** The resource group and the one Linux App Service plan that every site of the stack shares. */
export class Hosting extends pulumi.ComponentResource {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;

  constructor(name: string, args: HostingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s2s-auth:hosting:Hosting", name, {}, opts);
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
    this.resourceGroupName = group.name;
    this.planId = plan.id;
    this.location = group.location;
    this.registerOutputs({ resourceGroupName: this.resourceGroupName, planId: this.planId });
  }
}
