// The CLI is built from this module with `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`
// (scripts/pulumi-install.sh). This import keeps `go mod tidy` from dropping pkg/v3.
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
