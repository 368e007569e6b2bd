package main

import (
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// sourceDeployment is a source-controller Deployment as Flux installs it,
// already prepared for sharding, as read back from an API server.
func sourceDeployment() *appsv1.Deployment {
	replicas := int32(1)
	return &appsv1.Deployment{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{
			Name:              "source-controller",
			Namespace:         "flux-system",
			UID:               "src-uid",
			ResourceVersion:   "42",
			Generation:        3,
			CreationTimestamp: metav1.Now(),
			Labels: map[string]string{
				"app.kubernetes.io/component": "source-controller",
				"app.kubernetes.io/part-of":   "flux",
				"control-plane":               "controller",
			},
			Annotations: map[string]string{
				"deployment.kubernetes.io/revision": "2",
				"example.com/note":                  "kept",
			},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Something", Name: "x", UID: "x-uid"}},
			ManagedFields:   []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationUpdate}},
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "source-controller"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{
					Labels:      map[string]string{"app": "source-controller"},
					Annotations: map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": "8080"},
				},
				Spec: corev1.PodSpec{Containers: []corev1.Container{
					{
						Name:  "manager",
						Image: "ghcr.io/fluxcd/source-controller:v1.9.6",
						Args: []string{
							"--watch-label-selector=!sharding.fluxcd.io/key",
							"--events-addr=",
							"--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.",
						},
						Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 9090}, {Name: "http-prom", ContainerPort: 8080}, {Name: "healthz", ContainerPort: 9440}},
					},
					{
						Name:  "sidecar",
						Image: "example.com/sidecar:1",
						Args:  []string{"--watch-label-selector=!sharding.fluxcd.io/key", "--verbose"},
					},
				}},
			},
		},
		Status: appsv1.DeploymentStatus{Replicas: 1, ReadyReplicas: 1},
	}
}

func shardSet(shards ...string) *FluxShardSet {
	set := &FluxShardSet{
		TypeMeta: metav1.TypeMeta{APIVersion: GroupVersion.String(), Kind: FluxShardSetKind},
		ObjectMeta: metav1.ObjectMeta{
			Name: "source-shards", Namespace: "flux-system", UID: "set-uid", Generation: 1,
		},
		Spec: FluxShardSetSpec{SourceDeploymentRef: SourceDeploymentReference{Name: "source-controller"}},
	}
	for _, s := range shards {
		set.Spec.Shards = append(set.Spec.Shards, ShardSpec{Name: s})
	}
	return set
}

func TestGenerateDeployments(t *testing.T) {
	src := sourceDeployment()
	before := src.DeepCopy()
	got, err := GenerateDeployments(shardSet("shard1", "shard2"), src)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(src, before) {
		t.Fatal("the source Deployment was modified")
	}
	if len(got) != 2 {
		t.Fatalf("got %d deployments, want 2", len(got))
	}

	for i, shard := range []string{"shard1", "shard2"} {
		d := got[i]
		if d.Name != "source-controller-"+shard || d.Namespace != "flux-system" {
			t.Errorf("name %s/%s", d.Namespace, d.Name)
		}
		if d.UID != "" || d.ResourceVersion != "" || d.Generation != 0 || !d.CreationTimestamp.IsZero() ||
			d.ManagedFields != nil || !reflect.DeepEqual(d.Status, appsv1.DeploymentStatus{}) {
			t.Errorf("%s: server-set metadata or status copied: %+v", d.Name, d.ObjectMeta)
		}

		want := map[string]string{
			"app.kubernetes.io/managed-by":    "flux-shard-controller",
			"templates.weave.works/shard-set": "source-shards",
			"templates.weave.works/shard":     shard,
			"sharding.fluxcd.io/role":         "shard",
		}
		with := func(base map[string]string) map[string]string { return mergeLabels(base, want) }
		if !reflect.DeepEqual(d.Labels, with(before.Labels)) {
			t.Errorf("%s: metadata.labels %v", d.Name, d.Labels)
		}
		if !reflect.DeepEqual(d.Spec.Selector.MatchLabels, with(map[string]string{"app": "source-controller"})) {
			t.Errorf("%s: selector %v", d.Name, d.Spec.Selector.MatchLabels)
		}
		if !reflect.DeepEqual(d.Spec.Template.Labels, with(map[string]string{"app": "source-controller"})) {
			t.Errorf("%s: pod labels %v", d.Name, d.Spec.Template.Labels)
		}
		for _, labels := range []map[string]string{d.Labels, d.Spec.Selector.MatchLabels, d.Spec.Template.Labels} {
			if _, ok := labels["sharding.fluxcd.io/key"]; ok {
				t.Errorf("%s: a sharding.fluxcd.io/key label", d.Name)
			}
		}

		if !reflect.DeepEqual(d.Annotations, map[string]string{"example.com/note": "kept"}) {
			t.Errorf("%s: annotations %v", d.Name, d.Annotations)
		}
		if !reflect.DeepEqual(d.Spec.Template.Annotations, before.Spec.Template.Annotations) {
			t.Errorf("%s: pod annotations %v", d.Name, d.Spec.Template.Annotations)
		}

		if len(d.OwnerReferences) != 1 {
			t.Fatalf("%s: owner references %v", d.Name, d.OwnerReferences)
		}
		o := d.OwnerReferences[0]
		if o.APIVersion != "templates.weave.works/v1alpha1" || o.Kind != "FluxShardSet" || o.Name != "source-shards" || o.UID != "set-uid" {
			t.Errorf("%s: owner reference %+v", d.Name, o)
		}
		if o.Controller != nil && *o.Controller {
			t.Errorf("%s: the owner reference is a controller reference", d.Name)
		}

		manager := d.Spec.Template.Spec.Containers[0]
		wantArgs := []string{
			"--watch-label-selector=sharding.fluxcd.io/key in (" + shard + ")",
			"--events-addr=",
			"--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.",
		}
		if !reflect.DeepEqual(manager.Args, wantArgs) {
			t.Errorf("%s: manager args %q", d.Name, manager.Args)
		}
		if manager.Image != "ghcr.io/fluxcd/source-controller:v1.9.6" || len(manager.Ports) != 3 {
			t.Errorf("%s: manager container not copied: %+v", d.Name, manager)
		}
		if !reflect.DeepEqual(d.Spec.Template.Spec.Containers[1], before.Spec.Template.Spec.Containers[1]) {
			t.Errorf("%s: the sidecar was changed: %+v", d.Name, d.Spec.Template.Spec.Containers[1])
		}
		if *d.Spec.Replicas != 1 {
			t.Errorf("%s: replicas %d", d.Name, *d.Spec.Replicas)
		}
	}

	// The copies share nothing with each other.
	got[0].Spec.Template.Spec.Containers[0].Args[1] = "changed"
	if got[1].Spec.Template.Spec.Containers[0].Args[1] != "--events-addr=" {
		t.Error("the shard Deployments share their args")
	}
}

func TestGenerateDeploymentsNotConfigured(t *testing.T) {
	t.Run("no argument", func(t *testing.T) {
		src := sourceDeployment()
		src.Spec.Template.Spec.Containers[0].Args = []string{"--events-addr="}
		src.Spec.Template.Spec.Containers = src.Spec.Template.Spec.Containers[:1]
		_, err := GenerateDeployments(shardSet("shard1"), src)
		if err == nil || err.Error() != "deployment flux-system/source-controller is not configured to ignore sharding" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("argument on another container only", func(t *testing.T) {
		src := sourceDeployment()
		src.Spec.Template.Spec.Containers[0].Args = []string{"--events-addr="}
		if _, err := GenerateDeployments(shardSet("shard1"), src); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("another selector", func(t *testing.T) {
		src := sourceDeployment()
		src.Spec.Template.Spec.Containers[0].Args[0] = "--watch-label-selector=sharding.fluxcd.io/key notin (shard1)"
		if _, err := GenerateDeployments(shardSet("shard1"), src); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("no shards", func(t *testing.T) {
		src := sourceDeployment()
		src.Spec.Template.Spec.Containers[0].Args = nil
		if _, err := GenerateDeployments(shardSet(), src); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestGenerateDeploymentsEdges(t *testing.T) {
	src := sourceDeployment()
	got, err := GenerateDeployments(shardSet(), src)
	if err != nil || len(got) != 0 {
		t.Fatalf("no shards: %v, %v", got, err)
	}

	got, err = GenerateDeployments(shardSet("b", "a", "b"), src)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range got {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "source-controller-b,source-controller-a" {
		t.Errorf("names %v", names)
	}

	// A source without labels, annotations or a selector.
	bare := sourceDeployment()
	bare.Labels, bare.Annotations, bare.Spec.Selector, bare.Spec.Template.Labels = nil, map[string]string{revisionAnnotation: "1"}, nil, nil
	got, err = GenerateDeployments(shardSet("s"), bare)
	if err != nil {
		t.Fatal(err)
	}
	d := got[0]
	if len(d.Labels) != 4 || len(d.Spec.Selector.MatchLabels) != 4 || len(d.Spec.Template.Labels) != 4 || d.Annotations != nil {
		t.Errorf("bare source: %v %v %v %v", d.Labels, d.Spec.Selector, d.Spec.Template.Labels, d.Annotations)
	}
}

func TestInventoryRef(t *testing.T) {
	ref := InventoryRef("flux-system", "source-controller-shard1")
	if ref != (ResourceRef{ID: "flux-system_source-controller-shard1_apps_Deployment", Version: "v1"}) {
		t.Fatalf("ref %+v", ref)
	}
	ns, name, ok := parseDeploymentRef(ref)
	if !ok || ns != "flux-system" || name != "source-controller-shard1" {
		t.Fatalf("parsed %q %q %v", ns, name, ok)
	}
	for _, id := range []string{"flux-system_source-controller-shard1__Service", "bad", "_x_apps_Deployment"} {
		if _, _, ok := parseDeploymentRef(ResourceRef{ID: id, Version: "v1"}); ok {
			t.Errorf("%s parsed as a Deployment", id)
		}
	}
}
