// Command shard-controller is this project's stand-in for
// weaveworks/flux-shard-controller (which cannot be fetched here): it turns
// FluxShardSets into shard Deployments as described in
// /work/shared/FLUX-FACTS.md. It runs as a plain process outside the cluster.
package main

import (
	"flag"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// LeaderElectionID is the name of the Lease held by the active replica.
const LeaderElectionID = "flux-shard-controller-leader-election"

func main() {
	var (
		metricsAddr, probeAddr, leaderNamespace string
		leaderElect                             bool
	)
	flag.StringVar(&metricsAddr, "metrics-bind-address", ":8080", "The address the metrics endpoint binds to.")
	flag.StringVar(&probeAddr, "health-probe-bind-address", ":8081", "The address the healthz/readyz endpoints bind to.")
	flag.BoolVar(&leaderElect, "leader-elect", false, "Enable leader election (only one active replica).")
	flag.StringVar(&leaderNamespace, "leader-election-namespace", "flux-system", "The namespace of the leader election Lease.")
	// --kubeconfig is registered on flag.CommandLine by controller-runtime's
	// config package; without it, KUBECONFIG (then in-cluster, then ~/.kube/config) is used.
	flag.Parse()

	ctrl.SetLogger(zap.New())
	setupLog := ctrl.Log.WithName("setup")

	if err := run(metricsAddr, probeAddr, leaderNamespace, leaderElect); err != nil {
		setupLog.Error(err, "exiting")
		os.Exit(1)
	}
}

func run(metricsAddr, probeAddr, leaderNamespace string, leaderElect bool) error {
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return err
	}
	if err := AddToScheme(scheme); err != nil {
		return err
	}

	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading kubeconfig: %w", err)
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsserver.Options{BindAddress: metricsAddr},
		HealthProbeBindAddress:        probeAddr,
		LeaderElection:                leaderElect,
		LeaderElectionID:              LeaderElectionID,
		LeaderElectionNamespace:       leaderNamespace,
		LeaderElectionReleaseOnCancel: true,
	})
	if err != nil {
		return fmt.Errorf("creating manager: %w", err)
	}

	r := &Reconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader()}
	if err := r.SetupWithManager(mgr); err != nil {
		return fmt.Errorf("setting up the %s controller: %w", ControllerName, err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}

	ctrl.Log.WithName("setup").Info("starting manager", "metrics", metricsAddr, "probes", probeAddr, "leaderElection", leaderElect)
	return mgr.Start(ctrl.SetupSignalHandler())
}
