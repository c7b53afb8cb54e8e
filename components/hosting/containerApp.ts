// Services on Azure Container Apps, with the environment's built-in authentication.
import * as pulumi from "@pulumi/pulumi";
import { app } from "../azureNative.ts";
import { containerAppName } from "../../model/azureNames.ts";
import { entraProvider, principalIdOf, type HostedApp, type HostedAppArgs } from "./hostedApp.ts";

/** The image a container app starts with, until the team's own pipeline deploys theirs. */
export const PLACEHOLDER_IMAGE = "mcr.microsoft.com/k8se/quickstart:latest";

/**
 * A service on Azure Container Apps, in the stack's environment: HTTPS-only external ingress,
 * a system-assigned identity, and app settings as environment variables.
 */
export function containerApp(name: string, args: HostedAppArgs, parent: pulumi.Resource): HostedApp {
  const environmentId = args.hosting.containerAppsEnvironmentId;
  if (environmentId === undefined) {
    throw new pulumi.ResourceError(`${name}: the stack's hosting has no Container Apps environment`, parent);
  }
  const container = new app.ContainerApp(
    `${name}-container`,
    {
      // Named by the program: azure-native's auto-name (`<name>-container` plus 8 characters)
      // breaks Azure's 32-character limit for any service name over 14 characters.
      containerAppName: containerAppName(name),
      resourceGroupName: args.hosting.resourceGroupName,
      location: args.hosting.location,
      managedEnvironmentId: environmentId,
      identity: { type: "SystemAssigned" },
      configuration: {
        activeRevisionsMode: "Single",
        ingress: { external: true, targetPort: 80, allowInsecure: false, transport: "auto" },
      },
      template: {
        containers: [
          { name: "app", image: PLACEHOLDER_IMAGE, env: args.appSettings, resources: { cpu: 0.25, memory: "0.5Gi" } },
        ],
        scale: { minReplicas: 0, maxReplicas: 1 },
      },
    },
    // A container app created before names were derived keeps its auto-name: a new name would
    // replace the app, and with it its identity and every grant to it. The derived name depends
    // only on the service name, which is also in the URN, so nothing else is ever ignored.
    { parent, ignoreChanges: ["containerAppName"] },
  );
  return {
    host: "containerApp",
    principalId: principalIdOf(container.identity, parent),
    name: container.name,
    // The app's stable address; latestRevisionFqdn would name one revision.
    url: container.configuration.apply((c) => {
      if (!c?.ingress?.fqdn) throw new pulumi.ResourceError("the container app reports no ingress address", parent);
      return `https://${c.ingress.fqdn}`;
    }),
    requireAuthentication: (authName, auth) =>
      new app.ContainerAppsAuthConfig(
        authName,
        {
          authConfigName: "current",
          containerAppName: container.name,
          resourceGroupName: args.hosting.resourceGroupName,
          platform: { enabled: true },
          // Container Apps has no separate "require authentication": Return401 is the switch.
          globalValidation: { unauthenticatedClientAction: "Return401" },
          httpSettings: { requireHttps: true },
          identityProviders: { azureActiveDirectory: entraProvider(auth) },
        },
        { parent },
      ),
  };
}
