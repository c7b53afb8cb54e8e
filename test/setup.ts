// Pulumi's SDK records a stack trace on every promise it creates; the tests run the program
// dozens of times, so they use the same limit as Pulumi.yaml's nodeargs (--stack-trace-limit=1),
// which halves the cost (docs/performance.md). Assertion failures still name the failing line.
Error.stackTraceLimit = 1;
