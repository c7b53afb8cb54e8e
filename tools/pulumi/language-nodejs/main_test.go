package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The engine installs (or finds) exactly the resource plugins the project's direct
// dependencies name, at the versions their package.json "pulumi" blocks give.
func TestGetRequiredPackagesReadsResourcePluginsOfDirectDependencies(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "package.json"), `{"dependencies": {"@pulumi/azuread": "6.9.1", "@pulumi/azure-native": "3.28.0", "@pulumi/pulumi": "3.276.0", "zod": "4.6.7"}}`)
	write(t, filepath.Join(root, "node_modules", "@pulumi", "azure-native", "package.json"), `{"version": "3.28.0", "pulumi": {"resource": true, "name": "azure-native", "version": "3.28.0"}}`)
	write(t, filepath.Join(root, "node_modules", "@pulumi", "azuread", "package.json"), `{"version": "6.9.1", "pulumi": {"resource": true}}`)
	write(t, filepath.Join(root, "node_modules", "@pulumi", "pulumi", "package.json"), `{"version": "3.276.0"}`)
	write(t, filepath.Join(root, "node_modules", "zod", "package.json"), `{"version": "4.6.7"}`)
	program := filepath.Join(root, "bootstrap")
	if err := os.MkdirAll(program, 0o755); err != nil {
		t.Fatal(err)
	}

	resp, err := (&host{}).GetRequiredPackages(context.Background(), &pulumirpc.GetRequiredPackagesRequest{Info: &pulumirpc.ProgramInfo{ProgramDirectory: program}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range resp.GetPackages() {
		got = append(got, p.GetKind()+" "+p.GetName()+" "+p.GetVersion())
	}
	want := []string{"resource azure-native v3.28.0", "resource azuread v6.9.1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("packages: got %v, want %v", got, want)
	}
}

func TestGetRequiredPackagesFailsWithoutInstalledDependencies(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "package.json"), `{"dependencies": {"@pulumi/azuread": "6.9.1"}}`)
	_, err := (&host{}).GetRequiredPackages(context.Background(), &pulumirpc.GetRequiredPackagesRequest{Info: &pulumirpc.ProgramInfo{ProgramDirectory: root}})
	if err == nil {
		t.Fatal("expected an error naming the missing package")
	}
}

// Pulumi.yaml's runtime options: `typescript: false` turns ts-node off, anything else leaves
// Pulumi's default (on); `nodeargs` is split like a shell would split plain words.
func TestRuntimeOptions(t *testing.T) {
	options := func(m map[string]any) *structpb.Struct {
		s, err := structpb.NewStruct(m)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := typescript(options(map[string]any{"typescript": false})); got != "false" {
		t.Errorf("typescript: false gave %q", got)
	}
	if got := typescript(options(map[string]any{})); got != "true" {
		t.Errorf("no typescript option gave %q", got)
	}
	if got := nodeArgs(options(map[string]any{"nodeargs": "--stack-trace-limit=1  --no-warnings"})); !reflect.DeepEqual(got, []string{"--stack-trace-limit=1", "--no-warnings"}) {
		t.Errorf("nodeargs gave %v", got)
	}
	if got := nodeArgs(nil); got != nil {
		t.Errorf("no options gave %v", got)
	}
}

func TestFindUpWalksToTheFirstMatch(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js"), "")
	deep := filepath.Join(root, "policy", "nested")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := findUp(deep, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run"))
	if err != nil || got != filepath.Join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run") {
		t.Fatalf("findUp: got %q, %v", got, err)
	}
	if _, err := findUp(deep, "no-such-thing"); err == nil {
		t.Fatal("expected an error for a path found nowhere")
	}
}

// Timings are written only when asked for, one JSON line per program run.
func TestRecordTimingAppendsOneLineWhenAsked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "timings.jsonl")
	t.Setenv("S2S_LANGHOST_TIMINGS", "")
	recordTiming(timing{Kind: "run"})
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("wrote timings without S2S_LANGHOST_TIMINGS")
	}
	t.Setenv("S2S_LANGHOST_TIMINGS", path)
	recordTiming(timing{Kind: "run", Stack: "dev", Start: 1, End: 3, CPUMillis: 2})
	recordTiming(timing{Kind: "run", Stack: "prod"})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"run","project":"","stack":"dev","dryRun":false,"start":1,"end":3,"cpuMillis":2}` + "\n" +
		`{"kind":"run","project":"","stack":"prod","dryRun":false,"start":0,"end":0,"cpuMillis":0}` + "\n"
	if string(data) != want {
		t.Fatalf("timings file:\n%s\nwant:\n%s", data, want)
	}
}
