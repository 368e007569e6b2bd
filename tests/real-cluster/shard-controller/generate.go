package main

// The pure part of the controller: from a FluxShardSet and its source
// Deployment to the shard Deployments, and the inventory ids.

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	managerContainer = "manager"
	selectorFlag     = "--watch-label-selector="
	// ignoreShardingArg must be on the source's manager container: the source
	// then reconciles only objects without a shard key.
	ignoreShardingArg = selectorFlag + "!sharding.fluxcd.io/key"
	// revisionAnnotation is written by the Deployment controller on every
	// Deployment; it is never copied from the source nor removed from a shard.
	revisionAnnotation = "deployment.kubernetes.io/revision"

	deploymentGroup   = "apps"
	deploymentKind    = "Deployment"
	deploymentVersion = "v1"
)

// shardLabels are merged into metadata.labels, spec.selector.matchLabels and
// spec.template.metadata.labels of every shard Deployment.
func shardLabels(setName, shard string) map[string]string {
	return map[string]string{
		"app.kubernetes.io/managed-by":    "flux-shard-controller",
		"templates.weave.works/shard-set": setName,
		"templates.weave.works/shard":     shard,
		"sharding.fluxcd.io/role":         "shard",
	}
}

// shardSelectorArg is the manager's selector in the shard <shard>.
func shardSelectorArg(shard string) string {
	return selectorFlag + "sharding.fluxcd.io/key in (" + shard + ")"
}

// ShardDeploymentName is "<source>-<shard>".
func ShardDeploymentName(source, shard string) string { return source + "-" + shard }

// ownerRef points at the FluxShardSet; deliberately not a controller reference.
func ownerRef(set *FluxShardSet) metav1.OwnerReference {
	block := true
	return metav1.OwnerReference{
		APIVersion:         GroupVersion.String(),
		Kind:               FluxShardSetKind,
		Name:               set.Name,
		UID:                set.UID,
		BlockOwnerDeletion: &block,
	}
}

// ignoresSharding reports whether the source's manager container has the
// argument --watch-label-selector=!sharding.fluxcd.io/key.
func ignoresSharding(src *appsv1.Deployment) bool {
	for _, c := range src.Spec.Template.Spec.Containers {
		if c.Name != managerContainer {
			continue
		}
		for _, a := range c.Args {
			if a == ignoreShardingArg {
				return true
			}
		}
	}
	return false
}

// GenerateDeployments returns one Deployment per shard of set (in the order of
// spec.shards, a repeated name once), each a copy of src. It fails when src
// is not configured to ignore sharded objects.
func GenerateDeployments(set *FluxShardSet, src *appsv1.Deployment) ([]*appsv1.Deployment, error) {
	if !ignoresSharding(src) {
		return nil, fmt.Errorf("deployment %s/%s is not configured to ignore sharding", src.Namespace, src.Name)
	}
	seen := map[string]bool{}
	var out []*appsv1.Deployment
	for _, shard := range set.Spec.Shards {
		if seen[shard.Name] {
			continue
		}
		seen[shard.Name] = true
		out = append(out, shardDeployment(set, src, shard.Name))
	}
	return out, nil
}

func shardDeployment(set *FluxShardSet, src *appsv1.Deployment, shard string) *appsv1.Deployment {
	labels := shardLabels(set.Name, shard)
	d := &appsv1.Deployment{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: deploymentKind},
		// A fresh ObjectMeta: nothing of the source's identity (uid,
		// resourceVersion, generation, managedFields, ownerReferences,
		// finalizers, creationTimestamp) is carried over.
		ObjectMeta: metav1.ObjectMeta{
			Name:            ShardDeploymentName(src.Name, shard),
			Namespace:       src.Namespace,
			Labels:          mergeLabels(src.Labels, labels),
			Annotations:     copyAnnotations(src.Annotations),
			OwnerReferences: []metav1.OwnerReference{ownerRef(set)},
		},
	}
	src.Spec.DeepCopyInto(&d.Spec)

	if d.Spec.Selector == nil {
		d.Spec.Selector = &metav1.LabelSelector{}
	}
	d.Spec.Selector.MatchLabels = mergeLabels(d.Spec.Selector.MatchLabels, labels)
	d.Spec.Template.Labels = mergeLabels(d.Spec.Template.Labels, labels)

	for i := range d.Spec.Template.Spec.Containers {
		c := &d.Spec.Template.Spec.Containers[i]
		if c.Name != managerContainer {
			continue
		}
		for j, a := range c.Args {
			if strings.HasPrefix(a, selectorFlag) {
				c.Args[j] = shardSelectorArg(shard)
			}
		}
	}
	return d
}

func mergeLabels(base, extra map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(extra))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func copyAnnotations(in map[string]string) map[string]string {
	var out map[string]string
	for k, v := range in {
		if k == revisionAnnotation {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out
}

// InventoryRef is the inventory entry of a shard Deployment:
// "<namespace>_<name>_apps_Deployment", v1.
func InventoryRef(namespace, name string) ResourceRef {
	return ResourceRef{
		ID:      strings.Join([]string{namespace, name, deploymentGroup, deploymentKind}, "_"),
		Version: deploymentVersion,
	}
}

// parseDeploymentRef is the inverse of InventoryRef; ok is false for an entry
// of another kind (e.g. "<ns>_<name>__Service").
func parseDeploymentRef(ref ResourceRef) (namespace, name string, ok bool) {
	parts := strings.Split(ref.ID, "_")
	if len(parts) != 4 || parts[2] != deploymentGroup || parts[3] != deploymentKind || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}
