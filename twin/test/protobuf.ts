// The protobuf messages the plugin test sends over gRPC, as the engine does. google-protobuf's
// generated CommonJS hides its exports from Node's named-export detection, so an ES module cannot
// import them by name: they are taken off `module.exports` here, each as a value and a type.
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import type * as Provider from "@pulumi/pulumi/proto/provider_pb.js";

export type { CheckResponse, ConfigureResponse, CreateResponse } from "@pulumi/pulumi/proto/provider_pb.js";
export type { InvokeResponse, ReadResponse } from "@pulumi/pulumi/proto/provider_pb.js";
export type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb.js";

export const { Empty } = emptyPb;
export type Empty = InstanceType<typeof Empty>;
export const { Struct } = structPb;
export type Struct = InstanceType<typeof Struct>;

export const { CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest, DiffResponse } = providerPb;
export const { InvokeRequest, ReadRequest } = providerPb;
export type CheckRequest = Provider.CheckRequest;
export type ConfigureRequest = Provider.ConfigureRequest;
export type CreateRequest = Provider.CreateRequest;
export type DeleteRequest = Provider.DeleteRequest;
export type DiffRequest = Provider.DiffRequest;
export type DiffResponse = Provider.DiffResponse;
export type InvokeRequest = Provider.InvokeRequest;
export type ReadRequest = Provider.ReadRequest;
