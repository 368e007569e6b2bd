package main

// Hand-written Go types for templates.weave.works/v1alpha1 FluxShardSet, after
// the API described in /work/shared/FLUX-FACTS.md (the real module cannot be
// fetched here). The schema served by the API server is
// ../crds/templates.weave.works_fluxshardsets.yaml.

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupVersion of the FluxShardSet API.
var GroupVersion = schema.GroupVersion{Group: "templates.weave.works", Version: "v1alpha1"}

const (
	// FluxShardSetKind is the kind written into the shard Deployments' owner references.
	FluxShardSetKind = "FluxShardSet"

	ReadyCondition                = "Ready"
	ReconciliationSucceededReason = "ReconciliationSucceeded"
	ReconciliationFailedReason    = "ReconciliationFailed"

	// ReconcileRequestAnnotation is Flux's "reconcile now" annotation; its value
	// is echoed into status.lastHandledReconcileAt.
	ReconcileRequestAnnotation = "reconcile.fluxcd.io/requestedAt"
)

// FluxShardSet declares shards of one Flux controller Deployment.
type FluxShardSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   FluxShardSetSpec   `json:"spec,omitempty"`
	Status FluxShardSetStatus `json:"status,omitempty"`
}

// FluxShardSetSpec is the desired state.
type FluxShardSetSpec struct {
	// SourceDeploymentRef names a Deployment in the FluxShardSet's own namespace.
	SourceDeploymentRef SourceDeploymentReference `json:"sourceDeploymentRef"`
	Shards              []ShardSpec               `json:"shards,omitempty"`
	Suspend             bool                      `json:"suspend,omitempty"`
}

// SourceDeploymentReference has a name only: the CRD schema prunes a namespace.
type SourceDeploymentReference struct {
	Name string `json:"name"`
}

// ShardSpec is one shard.
type ShardSpec struct {
	Name string `json:"name"`
}

// FluxShardSetStatus is the observed state.
type FluxShardSetStatus struct {
	ObservedGeneration     int64              `json:"observedGeneration,omitempty"`
	Conditions             []metav1.Condition `json:"conditions,omitempty"`
	LastHandledReconcileAt string             `json:"lastHandledReconcileAt,omitempty"`
	// Inventory is nil (absent) when there are no entries.
	Inventory *ResourceInventory `json:"inventory,omitempty"`
}

// ResourceInventory lists the objects created for a FluxShardSet.
type ResourceInventory struct {
	Entries []ResourceRef `json:"entries"`
}

// ResourceRef is one inventory entry: ID "<namespace>_<name>_<group>_<kind>", V the API version.
type ResourceRef struct {
	ID      string `json:"id"`
	Version string `json:"v"`
}

// FluxShardSetList is a list of FluxShardSets.
type FluxShardSetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []FluxShardSet `json:"items"`
}

// AddToScheme registers the FluxShardSet types.
func AddToScheme(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, &FluxShardSet{}, &FluxShardSetList{})
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}

// DeepCopyInto copies every field of in into out.
func (in *FluxShardSet) DeepCopyInto(out *FluxShardSet) {
	*out = *in
	in.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Spec.Shards = append([]ShardSpec(nil), in.Spec.Shards...)
	out.Status.Conditions = nil
	for i := range in.Status.Conditions {
		var c metav1.Condition
		in.Status.Conditions[i].DeepCopyInto(&c)
		out.Status.Conditions = append(out.Status.Conditions, c)
	}
	if in.Status.Inventory != nil {
		out.Status.Inventory = &ResourceInventory{Entries: append([]ResourceRef(nil), in.Status.Inventory.Entries...)}
	}
}

// DeepCopy returns a deep copy.
func (in *FluxShardSet) DeepCopy() *FluxShardSet {
	if in == nil {
		return nil
	}
	out := new(FluxShardSet)
	in.DeepCopyInto(out)
	return out
}

// DeepCopyObject implements runtime.Object.
func (in *FluxShardSet) DeepCopyObject() runtime.Object { return in.DeepCopy() }

// DeepCopyObject implements runtime.Object.
func (in *FluxShardSetList) DeepCopyObject() runtime.Object {
	if in == nil {
		return nil
	}
	out := &FluxShardSetList{TypeMeta: in.TypeMeta}
	in.ListMeta.DeepCopyInto(&out.ListMeta)
	if in.Items != nil {
		out.Items = make([]FluxShardSet, len(in.Items))
		for i := range in.Items {
			in.Items[i].DeepCopyInto(&out.Items[i])
		}
	}
	return out
}
