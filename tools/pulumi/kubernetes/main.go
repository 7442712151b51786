// Command pulumi-resource-kubernetes is the Pulumi Kubernetes provider built
// from the Go module github.com/pulumi/pulumi-kubernetes/provider/v4 for
// taskstack's CI (scripts/pulumi-tools.sh). The provider's own cmd embeds
// generated files that are not in the module, so this main embeds the schema
// and Terraform mapping that scripts/pulumi-tools.sh copies next to it from the
// module at build time (both are gitignored) and serves the provider unchanged.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
