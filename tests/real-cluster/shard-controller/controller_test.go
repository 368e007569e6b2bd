package main

import (
	"context"
	"reflect"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

// The reconciler against controller-runtime's fake client (no API server:
// no defaulting, no garbage collection).

func newReconciler(t *testing.T, objs ...client.Object) *Reconciler {
	t.Helper()
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		o.SetManagedFields(nil) // the fake client accepts only complete entries
	}
	c := fake.NewClientBuilder().WithScheme(s).WithObjects(objs...).WithStatusSubresource(&FluxShardSet{}).Build()
	return &Reconciler{Client: c, APIReader: c}
}

func reconcileSet(t *testing.T, r *Reconciler) (ctrl.Result, error, *FluxShardSet) {
	t.Helper()
	key := client.ObjectKey{Namespace: "flux-system", Name: "source-shards"}
	res, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: key})
	var set FluxShardSet
	if getErr := r.Get(context.Background(), key, &set); getErr != nil {
		t.Fatal(getErr)
	}
	return res, err, &set
}

func inventoryIDs(set *FluxShardSet) []string {
	if set.Status.Inventory == nil {
		return nil
	}
	var ids []string
	for _, e := range set.Status.Inventory.Entries {
		if e.Version != "v1" {
			return []string{"bad version " + e.Version}
		}
		ids = append(ids, e.ID)
	}
	return ids
}

func readyCondition(t *testing.T, set *FluxShardSet) *metav1.Condition {
	t.Helper()
	c := apimeta.FindStatusCondition(set.Status.Conditions, ReadyCondition)
	if c == nil {
		t.Fatalf("no Ready condition: %+v", set.Status)
	}
	return c
}

func getDeployment(t *testing.T, r *Reconciler, name string) (*appsv1.Deployment, bool) {
	t.Helper()
	var d appsv1.Deployment
	err := r.Get(context.Background(), client.ObjectKey{Namespace: "flux-system", Name: name}, &d)
	if apierrors.IsNotFound(err) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return &d, true
}

func withoutServerFields(d *appsv1.Deployment) *appsv1.Deployment {
	d = d.DeepCopy()
	d.ResourceVersion, d.UID, d.CreationTimestamp, d.Generation, d.ManagedFields = "", "", metav1.Time{}, 0, nil
	d.Status = appsv1.DeploymentStatus{}
	return d
}

func TestReconcileLifecycle(t *testing.T) {
	set := shardSet("shard2", "shard1")
	set.Annotations = map[string]string{ReconcileRequestAnnotation: "2024-01-01T00:00:00Z"}
	r := newReconciler(t, set, sourceDeployment())

	// Creation.
	_, err, got := reconcileSet(t, r)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"flux-system_source-controller-shard1_apps_Deployment", "flux-system_source-controller-shard2_apps_Deployment"}
	if !reflect.DeepEqual(inventoryIDs(got), wantIDs) {
		t.Fatalf("inventory %v", inventoryIDs(got))
	}
	c := readyCondition(t, got)
	if c.Status != metav1.ConditionTrue || c.Reason != ReconciliationSucceededReason || c.Message != "2 shard(s) created" ||
		c.ObservedGeneration != 1 || c.LastTransitionTime.IsZero() {
		t.Fatalf("condition %+v", c)
	}
	if got.Status.ObservedGeneration != 1 || got.Status.LastHandledReconcileAt != "2024-01-01T00:00:00Z" || len(got.Status.Conditions) != 1 {
		t.Fatalf("status %+v", got.Status)
	}
	generated, _ := GenerateDeployments(got, sourceDeployment())
	for _, want := range generated {
		d, ok := getDeployment(t, r, want.Name)
		if !ok {
			t.Fatalf("%s not created", want.Name)
		}
		if !reflect.DeepEqual(withoutServerFields(d).Spec, want.Spec) || !reflect.DeepEqual(d.Labels, want.Labels) ||
			!reflect.DeepEqual(d.OwnerReferences, want.OwnerReferences) {
			t.Errorf("%s differs from the generated one", want.Name)
		}
	}

	// A second pass changes nothing.
	before := got.ResourceVersion
	if _, err, got = reconcileSet(t, r); err != nil || got.ResourceVersion != before {
		t.Fatalf("second reconcile: %v, rv %s -> %s", err, before, got.ResourceVersion)
	}

	// A change of the source is copied into the shards.
	src, _ := getDeployment(t, r, "source-controller")
	src.Spec.Template.Spec.Containers[0].Image = "ghcr.io/fluxcd/source-controller:v1.9.7"
	src.Spec.Template.Spec.Containers[0].Args = append(src.Spec.Template.Spec.Containers[0].Args, "--log-level=debug")
	if err := r.Update(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if _, err, got = reconcileSet(t, r); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"source-controller-shard1", "source-controller-shard2"} {
		d, _ := getDeployment(t, r, name)
		m := d.Spec.Template.Spec.Containers[0]
		if m.Image != "ghcr.io/fluxcd/source-controller:v1.9.7" || m.Args[len(m.Args)-1] != "--log-level=debug" || m.Args[0] == ignoreShardingArg {
			t.Errorf("%s not updated: %s %q", name, m.Image, m.Args)
		}
	}

	// A deleted shard Deployment that is in the inventory is recreated.
	d, _ := getDeployment(t, r, "source-controller-shard1")
	if err := r.Delete(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	if _, err, got = reconcileSet(t, r); err != nil {
		t.Fatal(err)
	}
	if _, ok := getDeployment(t, r, "source-controller-shard1"); !ok {
		t.Fatal("shard1 not recreated")
	}

	// Removing a shard deletes its Deployment and drops it from the inventory.
	got.Spec.Shards = []ShardSpec{{Name: "shard1"}}
	got.Generation = 2
	if err := r.Update(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	_, err, got = reconcileSet(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := getDeployment(t, r, "source-controller-shard2"); ok {
		t.Error("shard2 not deleted")
	}
	if !reflect.DeepEqual(inventoryIDs(got), wantIDs[:1]) || readyCondition(t, got).Message != "1 shard(s) created" || got.Status.ObservedGeneration != 2 {
		t.Fatalf("after removal: %+v", got.Status)
	}

	// No shards at all: no inventory.
	got.Spec.Shards = nil
	if err := r.Update(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	_, err, got = reconcileSet(t, r)
	if err != nil || got.Status.Inventory != nil || readyCondition(t, got).Message != "0 shard(s) created" {
		t.Fatalf("no shards: %v %+v", err, got.Status)
	}
	if _, ok := getDeployment(t, r, "source-controller-shard1"); ok {
		t.Error("shard1 not deleted")
	}
}

func TestReconcileForeignDeploymentExists(t *testing.T) {
	foreign := sourceDeployment()
	foreign.Name, foreign.ResourceVersion, foreign.UID, foreign.OwnerReferences = "source-controller-shard1", "", "", nil
	r := newReconciler(t, shardSet("shard1", "shard2"), sourceDeployment(), foreign)

	for range 2 { // it repeats on every reconcile
		_, err, got := reconcileSet(t, r)
		want := `failed to create Deployment: deployments.apps "source-controller-shard1" already exists`
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v", err)
		}
		c := readyCondition(t, got)
		if c.Status != metav1.ConditionFalse || c.Reason != ReconciliationFailedReason || c.Message != want {
			t.Fatalf("condition %+v", c)
		}
		if got.Status.Inventory != nil || got.Status.ObservedGeneration != 1 {
			t.Fatalf("status %+v", got.Status)
		}
	}
	d, _ := getDeployment(t, r, "source-controller-shard1")
	if len(d.OwnerReferences) != 0 {
		t.Error("the foreign Deployment was taken over")
	}
}

func TestReconcileNotConfigured(t *testing.T) {
	src := sourceDeployment()
	src.Spec.Template.Spec.Containers[0].Args = src.Spec.Template.Spec.Containers[0].Args[1:]
	r := newReconciler(t, shardSet("shard1"), src)
	_, err, got := reconcileSet(t, r)
	want := "failed to generate deployments: deployment flux-system/source-controller is not configured to ignore sharding"
	if err == nil || readyCondition(t, got).Message != want || readyCondition(t, got).Status != metav1.ConditionFalse ||
		got.Status.ObservedGeneration != 1 {
		t.Fatalf("err %v, status %+v", err, got.Status)
	}
	if _, ok := getDeployment(t, r, "source-controller-shard1"); ok {
		t.Error("a shard was created")
	}
}

func TestReconcileWithoutStatusWrites(t *testing.T) {
	t.Run("source missing", func(t *testing.T) {
		r := newReconciler(t, shardSet("shard1"))
		res, err, got := reconcileSet(t, r)
		if err != nil || res.RequeueAfter != missingSourceRequeue || !reflect.DeepEqual(got.Status, FluxShardSetStatus{}) {
			t.Fatalf("%v %v %+v", res, err, got.Status)
		}
	})
	t.Run("suspended", func(t *testing.T) {
		set := shardSet("shard1")
		set.Spec.Suspend = true
		r := newReconciler(t, set, sourceDeployment())
		_, err, got := reconcileSet(t, r)
		if err != nil || !reflect.DeepEqual(got.Status, FluxShardSetStatus{}) {
			t.Fatalf("%v %+v", err, got.Status)
		}
		if _, ok := getDeployment(t, r, "source-controller-shard1"); ok {
			t.Error("a shard was created")
		}
	})
}

func TestSetsForDeployment(t *testing.T) {
	other := shardSet("x")
	other.Name, other.Spec.SourceDeploymentRef.Name = "other", "kustomize-controller"
	r := newReconciler(t, shardSet("shard1"), other)

	reqs := r.setsForDeployment(context.Background(), sourceDeployment())
	if len(reqs) != 1 || reqs[0].Name != "source-shards" {
		t.Fatalf("source: %v", reqs)
	}
	generated, _ := GenerateDeployments(shardSet("shard1"), sourceDeployment())
	reqs = r.setsForDeployment(context.Background(), generated[0])
	if len(reqs) != 1 || reqs[0].Name != "source-shards" || reqs[0].Namespace != "flux-system" {
		t.Fatalf("shard: %v", reqs)
	}
}
