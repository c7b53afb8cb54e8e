// The protobuf messages the policy pack's deep test sends over gRPC. google-protobuf's generated
// CommonJS hides its exports from Node's named-export detection, so an ES module cannot import them
// by name: they are taken off `module.exports` here, each as a value and as a type of the same name.
// (The twin's plugin test has its own: twin/test/protobuf.ts.)
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import type * as Analyzer from "@pulumi/pulumi/proto/analyzer_pb.js";

export type { AnalyzeDiagnostic, AnalyzerInfo, AnalyzeResponse } from "@pulumi/pulumi/proto/analyzer_pb.js";

export const { Empty } = emptyPb;
export type Empty = InstanceType<typeof Empty>;
export const { Struct } = structPb;
export type Struct = InstanceType<typeof Struct>;

export const { AnalyzeRequest, AnalyzeStackRequest, AnalyzerResource, AnalyzerResourceOptions } = analyzerPb;
export const { ConfigureAnalyzerRequest, PolicyConfig } = analyzerPb;
export type AnalyzerResourceOptions = Analyzer.AnalyzerResourceOptions;
