//! An index of strings to numbers that no keys can make slow: an
//! open-addressing table whose probes are bounded, in front of an ordered map.
//! A key whose probe would go past [`MAX_PROBE`] slots goes to the ordered map
//! instead, so a lookup costs at most `MAX_PROBE` slots and one `O(log n)`
//! search — even for a text built so that every key has the same hash (the
//! keys are names and label values from an untrusted pod's text). The parser's
//! families and the encoder's strings are found through it.

use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The most slots a lookup probes before the ordered map.
pub const MAX_PROBE: usize = 8;

/// FNV-1a: fast for the short names and label values of a scrape. Its
/// collisions cost at most the bounded probes.
fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in s.as_bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

/// Keys (`&str`, `Cow<str>`, `String`) to `u32`s.
///
/// ```
/// let mut index = flux_shard_metrics::index::StrIndex::default();
/// index.insert("up", 0);
/// index.insert("down", 1);
/// assert_eq!((index.get("down"), index.get("sideways")), (Some(1), None));
/// ```
#[derive(Debug, Clone)]
pub struct StrIndex<K> {
    /// `(hash, position in keys + 1)`; 0 is a free slot.
    slots: Vec<(u32, u32)>,
    keys: Vec<(K, u32)>,
    overflow: BTreeMap<K, u32>,
}

impl<K> Default for StrIndex<K> {
    fn default() -> Self {
        StrIndex {
            slots: Vec::new(),
            keys: Vec::new(),
            overflow: BTreeMap::new(),
        }
    }
}

impl<K: Borrow<str> + Ord + Clone> StrIndex<K> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<u32> {
        self.get_hashed(key, hash(key))
    }

    fn get_hashed(&self, key: &str, h: u32) -> Option<u32> {
        if !self.slots.is_empty() {
            let mask = self.slots.len() - 1;
            let mut at = h as usize & mask;
            for _ in 0..MAX_PROBE {
                match self.slots[at] {
                    (_, 0) => break,
                    (sh, i) if sh == h && self.keys[i as usize - 1].0.borrow() == key => {
                        return Some(self.keys[i as usize - 1].1)
                    }
                    _ => at = (at + 1) & mask,
                }
            }
        }
        // A key may be here since its chain was full, or since the table grew.
        if self.overflow.is_empty() {
            None
        } else {
            self.overflow.get(key).copied()
        }
    }

    /// Sets the value of `key`, which is not in the index yet.
    pub fn insert(&mut self, key: K, value: u32) {
        if (self.keys.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let h = hash(key.borrow());
        if !self.place(h, self.keys.len() as u32 + 1) {
            self.overflow.insert(key.clone(), value);
        }
        self.keys.push((key, value));
    }

    /// Puts `(h, i)` in the first free slot of its chain; `false` when the chain is full.
    fn place(&mut self, h: u32, i: u32) -> bool {
        let mask = self.slots.len() - 1;
        let mut at = h as usize & mask;
        for _ in 0..MAX_PROBE {
            if self.slots[at].1 == 0 {
                self.slots[at] = (h, i);
                return true;
            }
            at = (at + 1) & mask;
        }
        false
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        for (h, i) in old.into_iter().filter(|(_, i)| *i != 0) {
            if !self.place(h, i) {
                let (key, value) = self.keys[i as usize - 1].clone();
                self.overflow.insert(key, value);
            }
        }
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_all_share_one_hash_stay_found() {
        // As if a text were built so that every key had the same hash: past the bounded
        // probes, the ordered map takes them; every lookup still finds its own value.
        let keys: Vec<String> = (0..5000).map(|i| format!("k{i}")).collect();
        let mut index: StrIndex<&str> = StrIndex::default();
        for (i, k) in keys.iter().enumerate() {
            index.keys.push((k.as_str(), i as u32));
            if index.keys.len() * 2 > index.slots.len() {
                index.grow();
            }
            if !index.place(42, index.keys.len() as u32) {
                index.overflow.insert(k, i as u32);
            }
        }
        assert!(index.overflow.len() >= 5000 - 2 * MAX_PROBE);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.get_hashed(k, 42), Some(i as u32));
        }
        assert_eq!(index.get_hashed("absent", 42), None);
    }

    #[test]
    fn many_keys() {
        let mut index = StrIndex::default();
        for i in 0..20_000u32 {
            index.insert(i.to_string(), i);
        }
        assert_eq!(index.len(), 20_000);
        assert!((0..20_000u32).all(|i| index.get(&i.to_string()) == Some(i)));
        assert_eq!(index.get("20000"), None);
    }
}
