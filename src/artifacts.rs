//! source-controller shards and their artifact servers: each serves the
//! artifacts of its own objects, at the address it advertises
//! (`--storage-adv-addr`, pflag: the last occurrence wins), which must name its
//! own Service (`source-controller-<shard>.<namespace>.svc…`). The Flux
//! Operator appends a shard's own address after the main one; flux-shard-controller
//! copies the main controller's arguments and rewrites only the selector, so
//! its source-controller shards advertise the main controller's server. Pure.

use crate::report::{DeploymentMetrics, Flag, Role};

/// The controllers that serve artifacts.
pub const ARTIFACT_SERVERS: [&str; 2] = ["source-controller", "source-watcher"];

/// Sets the finding `artifactServer` on each shard of an artifact-serving group (`controller`)
/// whose effective `--storage-adv-addr` does not name its own Service, or whose Service is not
/// among `services` (the namespace's; `None` when they could not be listed).
///
/// ```
/// use flux_shard_metrics::artifacts::check_artifact_servers;
/// use flux_shard_metrics::report::{DeploymentMetrics, Role};
/// let mut shard = DeploymentMetrics::new("source-controller-shard1", "flux-system", Role::Shard, Some("shard1".into()), true);
/// shard.found = true;
/// shard.has_manager = true;
/// shard.storage_adv_addr = Some("source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.".into());
/// let mut rows = [shard];
/// check_artifact_servers("source-controller", &mut rows, Some(&["source-controller".to_string(), "source-controller-shard1".to_string()]));
/// assert_eq!(rows[0].findings[0].1, "its --storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local. names the Service source-controller, not its own (source-controller-shard1): the artifacts of its objects would be fetched from another Deployment's artifact server");
/// ```
pub fn check_artifact_servers(
    controller: &str,
    rows: &mut [DeploymentMetrics],
    services: Option<&[String]>,
) {
    if !ARTIFACT_SERVERS.contains(&controller) {
        return;
    }
    for row in rows
        .iter_mut()
        .filter(|r| r.role == Role::Shard && r.found && r.has_manager)
    {
        let own = row.name.clone();
        let mut why = Vec::new();
        match row.storage_adv_addr.as_deref() {
            None => why.push(format!(
                "its manager has no --storage-adv-addr, so it advertises its pod's hostname instead of its own Service {own}"
            )),
            Some(addr) => {
                let host = addr.split(['.', ':']).next().unwrap_or_default();
                if host != own {
                    why.push(format!(
                        "its --storage-adv-addr={addr} names the Service {host}, not its own ({own}): the artifacts of its objects would be fetched from another Deployment's artifact server"
                    ));
                }
            }
        }
        if let Some(services) = services {
            if !services.contains(&own) {
                why.push(format!(
                    "its Service {}/{own} does not exist, so nothing can fetch its artifacts",
                    row.namespace
                ));
            }
        }
        if !why.is_empty() {
            row.findings.push((Flag::ArtifactServer, why.join("; ")));
        }
    }
}
