//! Which Deployment a series' pod belongs to, including pods that no longer
//! exist. Never by name prefix alone: the pods of shard `source-controller-shard1`
//! also start with `source-controller-`.
//!
//! In order:
//! 1. a pod listed now: its owner references decided its row (exact name);
//! 2. a pod of a ReplicaSet listed now (the Deployment keeps its last
//!    `revisionHistoryLimit` ReplicaSets, 10 by default): the Deployment
//!    controller names it `<replicaset>-<5 characters>` (with `<replicaset>-` cut
//!    to 58 characters first when longer), so the name minus its last part must
//!    equal the ReplicaSet's name;
//! 3. otherwise its name as the Deployment controller makes it,
//!    `<deployment>-<pod-template-hash>-<5 characters>`, both generated parts of
//!    the alphabet `bcdfghjklmnpqrstvwxz2456789`: with both parts removed, the rest
//!    must equal a Deployment's name.
//!
//! Where it can be wrong: a pod whose ReplicaSet is gone and whose Deployment's
//! name itself ends in `-<part of that alphabet>-<five of it>`; and series whose
//! `pod` label is not the pod's name (relabelled scrapes). Pods of other
//! workloads never match a row.
//!
//! ```
//! use flux_shard_metrics::prometheus::pods::{PodMapper, Found};
//! let mut m = PodMapper::default();
//! m.deployment("source-controller", 0);
//! m.deployment("source-controller-shard1", 1);
//! m.replica_set("source-controller-shard1-7b9c5d4f8x", 1);
//! assert_eq!(m.row_of("source-controller-shard1-7b9c5d4f8x-x2x4z"), Some((1, Found::ReplicaSet)));
//! // Its ReplicaSet is gone: the generated parts removed, "source-controller-shard1" is the Deployment.
//! assert_eq!(m.row_of("source-controller-shard1-5d8f7c9b6d-q7w2k"), Some((1, Found::Name)));
//! assert_eq!(m.row_of("source-controller-6c8b9d7f5-k2l5m"), Some((0, Found::Name)));
//! assert_eq!(m.row_of("helm-controller-6c8b9d7f5-k2l5m"), None);
//! ```

/// How a pod was placed in its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Listed now.
    Listed,
    /// By a ReplicaSet listed now.
    ReplicaSet,
    /// By the names the Deployment controller generates.
    Name,
}

/// Names to rows, sorted by name and looked up by binary search (no hashing:
/// no names can make it slow); a name given again takes its latest row.
#[derive(Debug, Default)]
struct Names(Vec<(String, usize)>);

impl Names {
    fn insert(&mut self, name: &str, row: usize) {
        match self.0.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            Ok(i) => self.0[i].1 = row,
            Err(i) => self.0.insert(i, (name.to_string(), row)),
        }
    }

    fn get(&self, name: &str) -> Option<&usize> {
        let i = self
            .0
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()?;
        Some(&self.0[i].1)
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &usize)> {
        self.0.iter().map(|(n, r)| (n, r))
    }
}

/// Maps pod names to row indices.
#[derive(Debug, Default)]
pub struct PodMapper {
    pods: Names,
    replica_sets: Names,
    deployments: Names,
}

/// The characters of generated name parts (`k8s.io/apimachinery/pkg/util/rand`).
const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
/// generateName keeps at most this much of its base (63 minus the 5 random characters).
const MAX_GENERATE_BASE: usize = 58;

fn generated(part: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&part.len()) && part.bytes().all(|b| ALPHABET.contains(&b))
}

impl PodMapper {
    /// A pod listed now, in row `row`.
    pub fn pod(&mut self, name: &str, row: usize) {
        self.pods.insert(name, row);
    }

    /// A ReplicaSet listed now, of row `row`'s Deployment.
    pub fn replica_set(&mut self, name: &str, row: usize) {
        self.replica_sets.insert(name, row);
    }

    /// Row `row`'s Deployment.
    pub fn deployment(&mut self, name: &str, row: usize) {
        self.deployments.insert(name, row);
    }

    /// The row of the pod named `pod`, and how it was found.
    pub fn row_of(&self, pod: &str) -> Option<(usize, Found)> {
        if let Some(&row) = self.pods.get(pod) {
            return Some((row, Found::Listed));
        }
        // generateName cut `<replicaset>-` to 58 characters: compare those.
        if pod.len() == MAX_GENERATE_BASE + 5
            && pod.is_char_boundary(MAX_GENERATE_BASE)
            && generated(&pod[MAX_GENERATE_BASE..], 5..=5)
        {
            let base = &pod[..MAX_GENERATE_BASE];
            let cut = self.replica_sets.iter().find(|(rs, _)| {
                rs.len() + 1 > MAX_GENERATE_BASE && format!("{rs}-").starts_with(base)
            });
            if let Some((_, &row)) = cut {
                return Some((row, Found::ReplicaSet));
            }
        }
        let (owner, suffix) = pod.rsplit_once('-')?;
        if !generated(suffix, 5..=5) {
            return None;
        }
        if let Some(&row) = self.replica_sets.get(owner) {
            return Some((row, Found::ReplicaSet));
        }
        let (deployment, hash) = owner.rsplit_once('-')?;
        if !generated(hash, 1..=10) {
            return None;
        }
        self.deployments
            .get(deployment)
            .map(|&row| (row, Found::Name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapper() -> PodMapper {
        let mut m = PodMapper::default();
        for (i, name) in [
            "source-controller",
            "source-controller-shard1",
            "source-controller-shard10",
        ]
        .iter()
        .enumerate()
        {
            m.deployment(name, i);
        }
        m.replica_set("source-controller-shard1-6f7d8c9b5x", 1);
        m.pod("source-controller-shard1-6f7d8c9b5x-abcde", 1);
        m
    }

    #[test]
    fn shards_never_take_each_others_pods() {
        let m = mapper();
        assert_eq!(
            m.row_of("source-controller-shard1-6f7d8c9b5x-abcde"),
            Some((1, Found::Listed))
        );
        assert_eq!(
            m.row_of("source-controller-shard1-6f7d8c9b5x-q2w4z"),
            Some((1, Found::ReplicaSet))
        );
        assert_eq!(
            m.row_of("source-controller-shard10-7c9d5f8b4-q2w4z"),
            Some((2, Found::Name))
        );
        assert_eq!(
            m.row_of("source-controller-shard1-7c9d5f8b4-q2w4z"),
            Some((1, Found::Name))
        );
        assert_eq!(
            m.row_of("source-controller-7c9d5f8b4-q2w4z"),
            Some((0, Found::Name))
        );
    }

    #[test]
    fn names_that_are_not_generated_match_nothing() {
        let m = mapper();
        for pod in [
            "source-controller",
            "source-controller-shard1",
            // "shard1" is no pod-template-hash (vowels, too few random characters).
            "source-controller-shard1-q2w4z",
            "source-controller-7c9d5f8b4-q2w4",
            "source-controller-7c9d5f8b4-q2w4zz",
            "source-controller-7C9D5F8B4-q2w4z",
            "source-controller-abcdefghijk-q2w4z",
            "kustomize-controller-7c9d5f8b4-q2w4z",
            "source-controller-0",
        ] {
            assert_eq!(m.row_of(pod), None, "{pod}");
        }
    }

    #[test]
    fn long_replica_set_names_are_cut_as_generate_name_cuts_them() {
        let mut m = PodMapper::default();
        let rs = format!("{}-7c9d5f8b4", "a".repeat(55));
        m.replica_set(&rs, 3);
        let pod = format!("{}q2w4z", &format!("{rs}-")[..58]);
        assert_eq!(pod.len(), 63);
        assert_eq!(m.row_of(&pod), Some((3, Found::ReplicaSet)));
        assert_eq!(
            m.row_of(&format!("{}q2w4z", &format!("b{rs}-")[..58])),
            None
        );
    }
}
