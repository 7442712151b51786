// Command python-sdk writes the Python SDK of a Pulumi package from its schema, with Pulumi's own
// Python code generator (github.com/pulumi/pulumi/pkg/v3/codegen/python, the generator that
// pulumi-language-python's GeneratePackage runs for `pulumi package add` and
// `pulumi package gen-sdk --language python`). taskstack's CI uses it because the Go module proxy
// serves no pulumi-language-python at the CLI's version; see scripts/python-program.sh.
//
// The package's references to other packages (gcp, aws, kubernetes resources in taskstack's
// component outputs) are bound against the schemas in -deps, one <package>.json per package, as
// `pulumi package get-schema <package>` prints them.
//
//	python-sdk -schema taskstack.json -deps DIR -out DIR
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	schemaPath := flag.String("schema", "", "the package's schema (JSON)")
	depsDir := flag.String("deps", "", "directory of <package>.json schemas of the packages it refers to")
	outDir := flag.String("out", "", "directory to write the SDK into (emptied first)")
	flag.Parse()
	if *schemaPath == "" || *depsDir == "" || *outDir == "" {
		fmt.Fprintln(os.Stderr, "python-sdk: -schema, -deps and -out are required")
		os.Exit(2)
	}
	if err := run(*schemaPath, *depsDir, *outDir); err != nil {
		fmt.Fprintf(os.Stderr, "python-sdk: %v\n", err)
		os.Exit(1)
	}
}

func readSpec(path string) (schema.PackageSpec, error) {
	var spec schema.PackageSpec
	data, err := os.ReadFile(path)
	if err != nil {
		return spec, err
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return spec, fmt.Errorf("%s: %w", path, err)
	}
	return spec, nil
}

func run(schemaPath, depsDir, outDir string) error {
	spec, err := readSpec(schemaPath)
	if err != nil {
		return err
	}
	loader := &dirLoader{dir: depsDir, packages: map[string]*schema.Package{}}
	// As the CLI binds a package it generates an SDK for (cmd/pulumi/packages.BindSpec).
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return fmt.Errorf("binding %s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("binding %s: %w", schemaPath, errors.Join(diags.Errs()...))
	}
	// `pulumi package add` always generates a local SDK this way (cmd/pulumi/packages.InstallPackage).
	pkg.SupportPack = true
	files, err := python.GeneratePackage("taskstack python-sdk", pkg, nil, loader)
	if err != nil {
		return fmt.Errorf("generating: %w", err)
	}
	if err := os.RemoveAll(outDir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(outDir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("python-sdk: %d files for %s %v in %s\n", len(files), pkg.Name, pkg.Version, outDir)
	return nil
}

// dirLoader loads the schemas a package refers to from <dir>/<name>.json, refusing a version other
// than the one asked for.
type dirLoader struct {
	dir      string
	packages map[string]*schema.Package
}

func (l *dirLoader) LoadPackage(name string, version *semver.Version) (*schema.Package, error) {
	return l.LoadPackageV2(context.Background(), &schema.PackageDescriptor{Name: name, Version: version})
}

func (l *dirLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	pkg, ok := l.packages[d.Name]
	if !ok {
		spec, err := readSpec(filepath.Join(l.dir, d.Name+".json"))
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", d.Name, err)
		}
		pkg, err = schema.ImportSpec(spec, nil, l, schema.ValidationOptions{AllowDanglingReferences: true})
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", d.Name, err)
		}
		l.packages[d.Name] = pkg
	}
	if d.Version != nil && pkg.Version != nil && !d.Version.Equals(*pkg.Version) {
		return nil, fmt.Errorf("package %s: asked for v%v, %s.json is v%v", d.Name, d.Version, d.Name, pkg.Version)
	}
	return pkg, nil
}

func (l *dirLoader) LoadPackageReference(name string, version *semver.Version) (schema.PackageReference, error) {
	return l.LoadPackageReferenceV2(context.Background(), &schema.PackageDescriptor{Name: name, Version: version})
}

func (l *dirLoader) LoadPackageReferenceV2(
	ctx context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	pkg, err := l.LoadPackageV2(ctx, d)
	if err != nil {
		return nil, err
	}
	return pkg.Reference(), nil
}
