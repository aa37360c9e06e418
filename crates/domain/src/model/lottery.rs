//! The auditable lottery, algorithm `wex-lottery-1` (see docs/selection.md).
//!
//! The seed is committed to (SHA-256) when a placement is published and revealed only after the
//! draw, so nobody can choose it after seeing the entries, and anyone can re-run the draw.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

pub const ALGORITHM: &str = "wex-lottery-1";

/// The secret 32 bytes behind a placement's draw. It has no `Serialize` and its `Debug` hides the
/// bytes, so it cannot leak into a response or a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct DrawSeed([u8; 32]);

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomnessUnavailable(String);

impl DrawSeed {
    /// Draws a fresh seed from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| RandomnessUnavailable(e.to_string()))?;
        Ok(DrawSeed(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        DrawSeed(bytes)
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        Some(DrawSeed(bytes.try_into().ok()?))
    }

    /// Lowercase hex, for storage and for revealing after the draw only.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The public commitment: lowercase hex of SHA-256 of the seed bytes.
    pub fn commitment(&self) -> String {
        hex::encode(Sha256::digest(self.0))
    }

    /// HMAC-SHA256(key = seed, message = "{placement_id}:{ticket}").
    pub fn score(&self, placement_id: Uuid, ticket: Uuid) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail for 32 bytes.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        mac.update(format!("{}:{}", placement_id.hyphenated(), ticket.hyphenated()).as_bytes());
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for DrawSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DrawSeed(<secret>)")
    }
}

/// One entry in a draw: its ticket and its priority tier (1 is drawn first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub ticket: Uuid,
    pub tier: u32,
}

/// An entry with its place in the draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedEntry {
    pub ticket: Uuid,
    pub tier: u32,
    pub score: [u8; 32],
    /// 1-based.
    pub position: u32,
}

/// SHA-256 of the entries sorted by ticket, one line `"{ticket},{tier}\n"` each.
pub fn entries_digest(entries: &[Entry]) -> String {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.ticket.hyphenated().to_string());
    let mut hasher = Sha256::new();
    for e in sorted {
        hasher.update(format!("{},{}\n", e.ticket.hyphenated(), e.tier).as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Orders entries by (tier, score bytes, ticket) and numbers them from 1.
pub fn rank(seed: &DrawSeed, placement_id: Uuid, entries: &[Entry]) -> Vec<RankedEntry> {
    let mut scored: Vec<RankedEntry> = entries
        .iter()
        .map(|e| RankedEntry { ticket: e.ticket, tier: e.tier, score: seed.score(placement_id, e.ticket), position: 0 })
        .collect();
    scored.sort_by(|a, b| {
        (a.tier, a.score, a.ticket.hyphenated().to_string()).cmp(&(b.tier, b.score, b.ticket.hyphenated().to_string()))
    });
    for (i, e) in scored.iter_mut().enumerate() {
        e.position = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector_seed() -> DrawSeed {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = i as u8;
        }
        DrawSeed::from_bytes(bytes)
    }

    fn uuid(s: &str) -> Uuid {
        Uuid::parse_str(s).unwrap()
    }

    fn vector_entries() -> Vec<Entry> {
        [
            ("3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b", 1),
            ("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", 2),
            ("0c4e8f12-3456-4789-abcd-ef0123456789", 2),
            ("f0e1d2c3-b4a5-4697-8877-665544332211", 1),
            ("77777777-8888-4999-aaaa-bbbbbbbbbbbb", 2),
        ]
        .iter()
        .map(|(t, tier)| Entry { ticket: uuid(t), tier: *tier })
        .collect()
    }

    #[test]
    fn commitment_matches_the_test_vector() {
        assert_eq!(vector_seed().commitment(), "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
        assert_eq!(DrawSeed::from_hex(&vector_seed().to_hex()), Some(vector_seed()));
    }

    #[test]
    fn entries_digest_matches_the_test_vector() {
        assert_eq!(
            entries_digest(&vector_entries()),
            "78d225e7f8514e01bbf79b2595c860a4a5e5c54eddd6c7dd103a1e2295716e2b"
        );
    }

    #[test]
    fn order_and_scores_match_the_test_vector() {
        let ranked = rank(&vector_seed(), uuid("0190f3a4-5b6c-7d8e-9f00-112233445566"), &vector_entries());
        let got: Vec<(u32, String, String)> = ranked
            .iter()
            .map(|e| (e.position, e.ticket.to_string()[..8].to_string(), hex::encode(&e.score[..8])))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "3f2a9c1e".to_string(), "2d4d6526f93c4949".to_string()),
                (2, "f0e1d2c3".to_string(), "e99f7ac3973ad615".to_string()),
                (3, "77777777".to_string(), "5dc22c5d1710ef91".to_string()),
                (4, "a1b2c3d4".to_string(), "73fbdd427047f963".to_string()),
                (5, "0c4e8f12".to_string(), "846a4a4228133ee1".to_string()),
            ]
        );
    }

    /// A small deterministic generator, so that the properties below check many cases repeatably.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            self.0 >> 11
        }

        fn entries(&mut self, n: usize, tiers: u64) -> Vec<Entry> {
            (0..n)
                .map(|_| Entry {
                    ticket: Uuid::from_u64_pair(self.next(), self.next()),
                    tier: 1 + u32::try_from(self.next() % tiers).unwrap(),
                })
                .collect()
        }

        fn seed(&mut self) -> DrawSeed {
            let mut bytes = [0u8; 32];
            for b in bytes.iter_mut() {
                *b = (self.next() & 0xff) as u8;
            }
            DrawSeed::from_bytes(bytes)
        }
    }

    #[test]
    fn ranking_properties_hold_for_many_draws() {
        let mut rng = Lcg(42);
        let placement = uuid("0190f3a4-5b6c-7d8e-9f00-112233445566");
        for case in 0..200 {
            let n = 1 + (rng.next() % 40) as usize;
            let tiers = 1 + rng.next() % 4;
            let entries = rng.entries(n, tiers);
            let seed = rng.seed();
            let ranked = rank(&seed, placement, &entries);
            // Every entry gets exactly one position, 1..=n.
            let mut positions: Vec<u32> = ranked.iter().map(|e| e.position).collect();
            positions.sort();
            assert_eq!(positions, (1..=u32::try_from(n).unwrap()).collect::<Vec<_>>(), "case {case}");
            let mut tickets: Vec<Uuid> = ranked.iter().map(|e| e.ticket).collect();
            tickets.sort();
            let mut expected: Vec<Uuid> = entries.iter().map(|e| e.ticket).collect();
            expected.sort();
            assert_eq!(tickets, expected, "case {case}");
            // Tiers are respected: no entry comes before one of a lower tier.
            assert!(ranked.windows(2).all(|w| w[0].tier <= w[1].tier), "case {case}");
            // The order of the input does not matter.
            let mut shuffled = entries.clone();
            shuffled.reverse();
            shuffled.rotate_left(n / 2);
            assert_eq!(rank(&seed, placement, &shuffled), ranked, "case {case}");
            assert_eq!(entries_digest(&shuffled), entries_digest(&entries), "case {case}");
        }
    }

    #[test]
    fn another_seed_gives_another_order() {
        let mut rng = Lcg(7);
        let entries = rng.entries(30, 1);
        let placement = Uuid::now_v7();
        let order = |seed: &DrawSeed| rank(seed, placement, &entries).iter().map(|e| e.ticket).collect::<Vec<_>>();
        let first = order(&rng.seed());
        let differing = (0..20).filter(|_| order(&rng.seed()) != first).count();
        assert_eq!(differing, 20, "30 entries have 30! orders: another seed must change it");
    }

    #[test]
    fn seed_is_hidden_from_debug_and_fresh_each_time() {
        let seed = DrawSeed::generate().unwrap();
        assert!(!format!("{seed:?}").contains(&seed.to_hex()));
        assert_ne!(seed, DrawSeed::generate().unwrap());
        assert_eq!(seed.commitment().len(), 64);
    }
}
