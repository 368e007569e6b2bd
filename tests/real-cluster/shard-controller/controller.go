package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// ControllerName names the controller in controller-runtime's metrics.
const ControllerName = "fluxshardset"

// missingSourceRequeue is how soon a FluxShardSet whose source Deployment is
// missing is looked at again (the Deployment watch also catches its creation).
const missingSourceRequeue = 30 * time.Second

// Reconciler creates, updates and deletes the shard Deployments of FluxShardSets.
type Reconciler struct {
	client.Client
	// APIReader reads past the cache, to look at a Deployment whose creation
	// failed with AlreadyExists although the cache did not have it.
	APIReader client.Reader
}

// SetupWithManager watches FluxShardSets, and Deployments: those owned by a
// FluxShardSet (a deleted shard is recreated) and those named as a source
// (changes of the source are copied into the shards).
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&FluxShardSet{}).
		Watches(&appsv1.Deployment{},
			handler.EnqueueRequestsFromMapFunc(r.setsForDeployment),
			builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{},
				predicate.LabelChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Complete(r)
}

// setsForDeployment maps a Deployment to the FluxShardSets that own it or use it as their source.
func (r *Reconciler) setsForDeployment(ctx context.Context, obj client.Object) []reconcile.Request {
	var reqs []reconcile.Request
	for _, ref := range obj.GetOwnerReferences() {
		if gv, err := schema.ParseGroupVersion(ref.APIVersion); err == nil && gv.Group == GroupVersion.Group && ref.Kind == FluxShardSetKind {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: obj.GetNamespace(), Name: ref.Name}})
		}
	}
	var sets FluxShardSetList
	if err := r.List(ctx, &sets, client.InNamespace(obj.GetNamespace())); err != nil {
		log.FromContext(ctx).Error(err, "listing FluxShardSets")
		return reqs
	}
	for _, s := range sets.Items {
		if s.Spec.SourceDeploymentRef.Name == obj.GetName() {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: s.Namespace, Name: s.Name}})
		}
	}
	return reqs
}

// Reconcile brings the shard Deployments of one FluxShardSet in line with its spec and source.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	logger := log.FromContext(ctx)

	var set FluxShardSet
	if err := r.Get(ctx, req.NamespacedName, &set); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !set.DeletionTimestamp.IsZero() {
		// The garbage collector deletes the shards through their owner references.
		return ctrl.Result{}, nil
	}
	if set.Spec.Suspend {
		logger.Info("reconciliation is suspended for this FluxShardSet")
		return ctrl.Result{}, nil
	}

	var src appsv1.Deployment
	srcKey := client.ObjectKey{Namespace: set.Namespace, Name: set.Spec.SourceDeploymentRef.Name}
	if err := r.Get(ctx, srcKey, &src); err != nil {
		if apierrors.IsNotFound(err) {
			logger.Info("source Deployment not found", "source", srcKey.String())
			return ctrl.Result{RequeueAfter: missingSourceRequeue}, nil
		}
		return ctrl.Result{}, fmt.Errorf("failed to load source deployment: %w", err)
	}

	updated := set.DeepCopy()
	if v, ok := set.Annotations[ReconcileRequestAnnotation]; ok {
		updated.Status.LastHandledReconcileAt = v
	}
	entries, recErr := r.reconcileShards(ctx, &set, &src)
	if recErr != nil {
		// The inventory is left as it was.
		setReady(updated, metav1.ConditionFalse, ReconciliationFailedReason, recErr.Error())
	} else {
		updated.Status.Inventory = nil
		if len(entries) > 0 {
			updated.Status.Inventory = &ResourceInventory{Entries: entries}
		}
		setReady(updated, metav1.ConditionTrue, ReconciliationSucceededReason,
			fmt.Sprintf("%d shard(s) created", len(entries)))
	}

	if !equality.Semantic.DeepEqual(set.Status, updated.Status) {
		if err := r.Status().Patch(ctx, updated, client.MergeFrom(&set)); err != nil {
			logger.Error(err, "failed to patch status")
			if recErr == nil {
				return ctrl.Result{}, fmt.Errorf("failed to update status and inventory: %w", err)
			}
		}
	}
	return ctrl.Result{}, recErr
}

func setReady(set *FluxShardSet, status metav1.ConditionStatus, reason, message string) {
	set.Status.ObservedGeneration = set.Generation
	apimeta.SetStatusCondition(&set.Status.Conditions, metav1.Condition{
		Type:               ReadyCondition,
		Status:             status,
		Reason:             reason,
		Message:            message,
		ObservedGeneration: set.Generation,
	})
}

// reconcileShards creates or updates the Deployment of every shard, deletes
// those of shards no longer listed, and returns the new inventory, sorted by id.
func (r *Reconciler) reconcileShards(ctx context.Context, set *FluxShardSet, src *appsv1.Deployment) ([]ResourceRef, error) {
	logger := log.FromContext(ctx)

	desired, err := GenerateDeployments(set, src)
	if err != nil {
		return nil, fmt.Errorf("failed to generate deployments: %w", err)
	}

	previous := map[string]ResourceRef{}
	if set.Status.Inventory != nil {
		for _, e := range set.Status.Inventory.Entries {
			previous[e.ID] = e
		}
	}

	var entries []ResourceRef
	kept := map[string]bool{}
	for _, want := range desired {
		ref := InventoryRef(want.Namespace, want.Name)
		key := client.ObjectKeyFromObject(want)

		var existing appsv1.Deployment
		err := r.Get(ctx, key, &existing)
		if apierrors.IsNotFound(err) {
			err = r.Create(ctx, want)
			if err == nil {
				logger.Info("created shard Deployment", "deployment", key.String())
				entries = append(entries, ref)
				kept[ref.ID] = true
				continue
			}
			if !apierrors.IsAlreadyExists(err) {
				return nil, fmt.Errorf("failed to create Deployment: %w", err)
			}
			// The cache lagged behind: look at the Deployment that is there.
			if getErr := r.APIReader.Get(ctx, key, &existing); getErr != nil {
				return nil, fmt.Errorf("failed to create Deployment: %w", err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("failed to get Deployment: %w", err)
		}

		_, inInventory := previous[ref.ID]
		if !inInventory && !ownedBy(&existing, set) {
			// Someone else's Deployment: never taken over.
			return nil, fmt.Errorf("failed to create Deployment: %w",
				apierrors.NewAlreadyExists(schema.GroupResource{Group: deploymentGroup, Resource: "deployments"}, want.Name))
		}
		if err := r.updateShard(ctx, &existing, want, set); err != nil {
			return nil, fmt.Errorf("failed to update Deployment: %w", err)
		}
		entries = append(entries, ref)
		kept[ref.ID] = true
	}

	for id, ref := range previous {
		if kept[id] {
			continue
		}
		ns, name, ok := parseDeploymentRef(ref)
		if !ok {
			continue // not ours to delete; it just leaves the inventory
		}
		gone := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		if err := r.Delete(ctx, gone, client.PropagationPolicy(metav1.DeletePropagationBackground)); client.IgnoreNotFound(err) != nil {
			return nil, fmt.Errorf("failed to delete Deployment %s/%s: %w", ns, name, err)
		}
		logger.Info("deleted shard Deployment", "deployment", ns+"/"+name)
	}

	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return entries, nil
}

// updateShard patches existing when its labels, annotations, spec or owner
// reference differ from want. The revision annotation of the Deployment
// controller and any other owner references are kept.
func (r *Reconciler) updateShard(ctx context.Context, existing, want *appsv1.Deployment, set *FluxShardSet) error {
	annotations := copyAnnotations(want.Annotations)
	if rev, ok := existing.Annotations[revisionAnnotation]; ok {
		if annotations == nil {
			annotations = map[string]string{}
		}
		annotations[revisionAnnotation] = rev
	}
	owners := existing.OwnerReferences
	if !ownedBy(existing, set) {
		owners = append(append([]metav1.OwnerReference(nil), owners...), ownerRef(set))
	}

	if equalMaps(existing.Labels, want.Labels) &&
		equalMaps(existing.Annotations, annotations) &&
		equality.Semantic.DeepEqual(existing.Spec, want.Spec) &&
		len(owners) == len(existing.OwnerReferences) {
		return nil
	}

	base := existing.DeepCopy()
	existing.Labels = want.Labels
	existing.Annotations = annotations
	existing.OwnerReferences = owners
	want.Spec.DeepCopyInto(&existing.Spec)
	if err := r.Patch(ctx, existing, client.MergeFrom(base)); err != nil {
		return err
	}
	log.FromContext(ctx).Info("updated shard Deployment", "deployment", client.ObjectKeyFromObject(existing).String())
	return nil
}

func ownedBy(obj client.Object, set *FluxShardSet) bool {
	for _, ref := range obj.GetOwnerReferences() {
		if ref.Kind == FluxShardSetKind && ref.UID == set.UID {
			return true
		}
	}
	return false
}

// equalMaps treats a nil and an empty map as equal.
func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
