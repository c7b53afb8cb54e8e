/**
 * azure-native `web:WebAppAuthSettingsV2`: a site's built-in authentication ("EasyAuth"),
 * Microsoft.Web/sites/config `authsettingsV2`.
 */
import { type ArmSpec, RG } from "./resource.ts";

export const authSettingsV2: ArmSpec = {
  armType: "Microsoft.Web/sites/config",
  apiVersion: "2021-02-01",
  path: `${RG}/providers/Microsoft.Web/sites/{name}/config/authsettingsV2`,
  envelope: ["kind"],
  // Web Apps REST has Get/Update for authsettingsV2 and no Delete; azure-native resets it on destroy
  // by turning the platform off (pulumi-azure-native #4330 / #4373).
  resetOnDelete: { platform: { enabled: false } },
};
