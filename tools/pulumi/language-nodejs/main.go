// pulumi-language-nodejs: a small Node.js language host for the Pulumi engine.
//
// Pulumi's own language host is a nested Go module (sdk/nodejs/cmd/pulumi-language-nodejs) that
// the Go module proxy does not serve, so this one is written against the engine's published
// gRPC contract (sdk/v3 proto/go LanguageRuntimeServer) instead. It does what `pulumi up`,
// `preview`, `destroy`, `refresh` and `--policy-pack` need from a language host and nothing else:
//
//   - Run: starts `node <nodeargs> @pulumi/pulumi/cmd/run <flags> <program>` with the config in
//     PULUMI_CONFIG, the way @pulumi/pulumi's run script expects (cmd/run/index.js, runtime/config.js).
//   - RunPlugin: starts a policy pack with @pulumi/pulumi/cmd/run-policy-pack (the engine runs a
//     Node.js policy pack through its language host when one is installed:
//     sdk/go/common/resource/plugin/analyzer_plugin.go).
//   - GetRequiredPackages: the resource plugins named by the project's direct dependencies
//     (each @pulumi/<provider> package.json carries a "pulumi" block with its plugin's name and version).
//
// Everything else answers Unimplemented, which the engine treats as "not supported".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is stamped by scripts/pulumi-install.sh (-ldflags "-X main.version=...").
var version = "0.0.0-dev"

// @pulumi/pulumi exits with this code after it has already reported a user-actionable error
// (cmd/run/index.js, nodeJSProcessExitedAfterLoggingUserActionableMessage): the engine should
// then stop without printing a second, less useful message.
const exitAfterReportedError = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
}

func main() {
	flag.String("tracing", "", "tracing endpoint (accepted for compatibility, unused)")
	flag.String("root", "", "project root (accepted for compatibility, unused)")
	flag.Parse()

	h := &host{}
	if args := flag.Args(); len(args) > 0 {
		h.engineAddress = args[0]
	}

	cancel := make(chan bool)
	// Exit when the engine goes away, as every plugin must, so no orphaned host outlives an
	// interrupted `pulumi up`.
	if h.engineAddress != "" {
		ctx, stop := context.WithCancel(context.Background())
		// Healthcheck polls in the background and calls stop when the engine stops answering.
		if err := rpcutil.Healthcheck(ctx, h.engineAddress, 5*time.Minute, stop); err == nil {
			go func() {
				<-ctx.Done()
				close(cancel)
			}()
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// packageJSON is the part of a package.json this host reads.
type packageJSON struct {
	Version      string            `json:"version"`
	Dependencies map[string]string `json:"dependencies"`
	Pulumi       *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pkg packageJSON
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &pkg, nil
}

// findUp returns the first <dir>/<rel> that exists, from dir up to the file system root, the
// way Node resolves packages from node_modules.
func findUp(dir, rel string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s not found in %s or any parent directory (run `npm ci`)", rel, dir)
		}
	}
}

func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	manifest, err := findUp(dir, "package.json")
	if err != nil {
		return nil, err
	}
	project, err := readPackageJSON(manifest)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(project.Dependencies))
	for name := range project.Dependencies {
		names = append(names, name)
	}
	sort.Strings(names)

	var packages []*pulumirpc.PackageDependency
	for _, name := range names {
		path, err := findUp(filepath.Dir(manifest), filepath.Join("node_modules", name, "package.json"))
		if err != nil {
			return nil, err
		}
		dep, err := readPackageJSON(path)
		if err != nil {
			return nil, err
		}
		if dep.Pulumi == nil || !dep.Pulumi.Resource {
			continue
		}
		plugin := dep.Pulumi.Name
		if plugin == "" {
			plugin = strings.TrimPrefix(name, "@pulumi/")
		}
		v := dep.Pulumi.Version
		if v == "" {
			v = dep.Version
		}
		packages = append(packages, &pulumirpc.PackageDependency{
			Kind:    "resource",
			Name:    plugin,
			Version: "v" + strings.TrimPrefix(v, "v"),
			Server:  dep.Pulumi.Server,
		})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// nodeArgs reads the `nodeargs` runtime option of Pulumi.yaml.
func nodeArgs(options *structpb.Struct) []string {
	if v, ok := options.GetFields()["nodeargs"]; ok {
		return strings.Fields(v.GetStringValue())
	}
	return nil
}

// typescript reads the `typescript` runtime option; Pulumi's default is on.
func typescript(options *structpb.Struct) string {
	if v, ok := options.GetFields()["typescript"]; ok {
		if b, isBool := v.GetKind().(*structpb.Value_BoolValue); isBool && !b.BoolValue {
			return "false"
		}
	}
	return "true"
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	runScript, err := findUp(programDir, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run"))
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append(nodeArgs(info.GetOptions()), runScript,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engine(),
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+req.GetPwd(),
		"--root-directory="+info.GetRootDirectory(),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = append(args, fmt.Sprintf("--parallel=%d", req.GetParallel()))
	}
	program := programDir
	if entry := info.GetEntryPoint(); entry != "" && entry != "." {
		program = filepath.Join(programDir, entry)
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		"PULUMI_NODEJS_TYPESCRIPT="+typescript(info.GetOptions()),
	)
	if pm := req.GetConfigPropertyMap(); pm != nil {
		propertyMap, err := json.Marshal(pm.AsMap())
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG_PROPERTY_MAP="+string(propertyMap))
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node is not on PATH: " + err.Error()}, nil
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	// The engine shows what a plugin writes as the program's output.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	started := time.Now()
	err = cmd.Run()
	t := timing{Kind: "run", Project: req.GetProject(), Stack: req.GetStack(), DryRun: req.GetDryRun(), Start: started.UnixMilli(), End: time.Now().UnixMilli()}
	if state := cmd.ProcessState; state != nil {
		t.CPUMillis = (state.UserTime() + state.SystemTime()).Milliseconds()
	}
	recordTiming(t)
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == exitAfterReportedError {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// timing is one program run, for `npm run bench:engine`: how much of a `pulumi up` is the
// program itself (Node, the SDK and index.ts) rather than the engine and the providers.
type timing struct {
	Kind    string `json:"kind"`
	Project string `json:"project"`
	Stack   string `json:"stack"`
	DryRun  bool   `json:"dryRun"`
	Start   int64  `json:"start"`
	End     int64  `json:"end"`
	// CPUMillis is the program process's user + system time: its own work, without the time it
	// spends waiting for the engine to answer its registrations.
	CPUMillis int64 `json:"cpuMillis"`
}

// recordTiming appends t as one JSON line to $S2S_LANGHOST_TIMINGS, when it is set. A failure to
// write is reported and otherwise ignored: timings never fail a deployment.
func recordTiming(t timing) {
	path := os.Getenv("S2S_LANGHOST_TIMINGS")
	if path == "" {
		return
	}
	line, err := json.Marshal(t)
	if err == nil {
		var f *os.File
		if f, err = os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			_, err = f.Write(append(line, '\n'))
			if closeErr := f.Close(); err == nil {
				err = closeErr
			}
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: timings: %v\n", err)
	}
}

// streamWriter forwards a child's output to the engine as RunPlugin messages.
type streamWriter struct {
	mu     *sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data := append([]byte(nil), p...)
	msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: data}}
	if w.stderr {
		msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: data}}
	}
	if err := w.server.Send(msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	// Policy packs run through run-policy-pack; other Node.js plugins (providers written in
	// TypeScript) through run-plugin.
	script := "run-plugin"
	if req.GetKind() == "analyzer" {
		script = "run-policy-pack"
	}
	runScript, err := findUp(programDir, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", script))
	if err != nil {
		return err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("node is not on PATH: %w", err)
	}
	args := append(nodeArgs(info.GetOptions()), runScript)
	// The engine passes its own address first; run-policy-pack expects it before the program.
	args = append(args, req.GetArgs()...)
	args = append(args, programDir)

	cmd := exec.CommandContext(server.Context(), node, args...)
	// A plugin runs from its own directory: @pulumi/policy reads the pack's version from
	// ./package.json (policy.js, PolicyPack constructor).
	cmd.Dir = programDir
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	var mu sync.Mutex
	cmd.Stdout = streamWriter{mu: &mu, server: server}
	cmd.Stderr = streamWriter{mu: &mu, server: server, stderr: true}
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = int32(exit.ExitCode())
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

var _ io.Writer = streamWriter{}
