package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; otherwise the
// module's version, or "dev" for a build from a work tree.
var version = ""

// versionString is "gospice VERSION (commit, go version, os/arch)".
func versionString() string {
	v, commit, modified := version, "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	s := "gospice " + v + " ("
	if commit != "" {
		if len(commit) > 12 {
			commit = commit[:12]
		}
		s += "commit " + commit
		if modified {
			s += "+modified"
		}
		s += ", "
	}
	return s + fmt.Sprintf("%s %s/%s)", runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print gospice's version",
		Long:    "Print gospice's version, the commit it was built from when known, and the Go version and platform.",
		Example: "  gospice version\n  gospice --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(a.stdout, versionString())
			return err
		},
	}
}
