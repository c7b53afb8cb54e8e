/**
 * azure-native `app:ContainerAppsAuthConfig`: a container app's built-in authentication,
 * Microsoft.App/containerApps/authConfigs.
 */
import { type ArmSpec, RG } from "./resource.ts";

export const containerAppsAuthConfig: ArmSpec = {
  armType: "Microsoft.App/containerApps/authConfigs",
  apiVersion: "2025-02-02-preview",
  path: `${RG}/providers/Microsoft.App/containerApps/{containerAppName}/authConfigs/{authConfigName}`,
  envelope: [],
};
