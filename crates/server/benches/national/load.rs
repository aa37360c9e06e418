//! Making the year through the use cases: organisations, published placements, applicants with
//! profiles and their applications, each as the API would make it; and checking a sample of
//! draws with docs/verify_draw.py, from the record the API serves.

use chrono::{DateTime, Duration, Utc};
use std::io::Write;
use std::process::Command;
use uuid::Uuid;
use wex_domain::model::auth::{Actor, MembershipRole, PlatformRole};
use wex_domain::model::lottery::DrawSeed;
use wex_domain::model::organisation::OrganisationInput;
use wex_domain::model::placement::PlacementDetails;
use wex_domain::model::profile::ProfileInput;
use wex_domain::model::reference::{OrganisationKind, PriorityRule, Region, Specialty};
use wex_domain::ports::{DrawStore, PlacementStore};
use wex_domain::{applying, organisations, placements, profiles};
use wex_http::routes::draws::DrawRecordResponse;
use wex_persistence::{DbStore, fixtures};

use crate::Size;

/// Applications each applicant makes, to different placements.
pub const PER_APPLICANT: usize = 3;

/// Organisations the placements are shared between, each with a coordinator.
const ORGANISATIONS: usize = 70;

pub struct World {
    organisations: Vec<(Uuid, Actor)>,
    now: DateTime<Utc>,
}

/// Runs `f` on `0..n` split into `threads` contiguous ranges, in parallel; the results in order.
fn parallel<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let per = n.div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(per)
            .map(|start| {
                let f = &f;
                s.spawn(move || (start..(start + per).min(n)).map(f).collect::<Vec<T>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

impl World {
    pub fn new(store: &DbStore) -> World {
        let now = wex_domain::now();
        let admin = Actor { platform_roles: vec![PlatformRole::Admin], ..Actor::new("bench-admin") };
        let organisations = (0..ORGANISATIONS)
            .map(|i| {
                let input = OrganisationInput {
                    name: format!("Bench Trust {i}"),
                    kind: OrganisationKind::NhsTrust,
                    region: Region::ALL[i % Region::ALL.len()],
                    ods_code: None,
                    description: None,
                };
                let id = organisations::create_organisation(store, &admin, input, now).unwrap().id;
                let coordinator = Actor {
                    memberships: vec![(id, MembershipRole::Coordinator)],
                    ..Actor::new(format!("bench-coordinator-{i}"))
                };
                (id, coordinator)
            })
            .collect();
        World { organisations, now }
    }

    /// When the scheduler runs: every placement has closed by then.
    pub fn draw_time(&self) -> DateTime<Utc> {
        self.now + Duration::days(31)
    }

    fn details(&self, i: usize) -> PlacementDetails {
        PlacementDetails {
            specialty: Specialty::ALL[i % Specialty::ALL.len()],
            title: format!("Bench placement {i}"),
            // Every third placement puts care-experienced applicants first: draws in two tiers.
            priority_rules: if i.is_multiple_of(3) { vec![PriorityRule::CareExperienced] } else { vec![] },
            ..fixtures::online_lottery(self.now, i32::try_from(i % 10 + 1).unwrap())
        }
    }

    /// Placements created and published by their organisations' coordinators.
    pub fn placements(&self, store: &DbStore, size: &Size) -> Vec<Uuid> {
        parallel(size.placements, size.threads, |i| {
            let (organisation, coordinator) = &self.organisations[i % self.organisations.len()];
            let draft =
                placements::create_placement(store, coordinator, *organisation, self.details(i), self.now).unwrap();
            let seed = DrawSeed::generate().unwrap();
            placements::publish_placement(store, coordinator, draft.id, Some(1), &seed, self.now).unwrap().id
        })
    }

    /// Applicants aged 17, each with the profile they would make themselves.
    pub fn applicants(&self, store: &DbStore, n: usize, threads: usize) -> Vec<Actor> {
        parallel(n, threads, |k| {
            let actor = Actor::new(format!("bench-applicant-{k}"));
            let input = ProfileInput {
                care_experienced: Some(k.is_multiple_of(4)),
                ..fixtures::applicant(format!("applicant{k}@example.org"), self.now.date_naive())
            };
            let input = input.parse(self.now.date_naive()).unwrap();
            profiles::put_own_profile(store, &actor, input, None, self.now).unwrap();
            actor
        })
    }

    /// Application `i` is applicant `i / 3`'s to placement `i mod placements`: an applicant's
    /// three go to three different placements, and every placement gets its share.
    pub fn apply_all(&self, store: &DbStore, actors: &[Actor], placements: &[Uuid], size: &Size) -> usize {
        let made = parallel(size.applications, size.threads, |i| {
            let actor = &actors[i / PER_APPLICANT];
            let placement = placements[i % placements.len()];
            applying::apply(store, actor, placement, fixtures::application(), PER_APPLICANT as u32, self.now).unwrap();
        });
        made.len()
    }
}

/// Checks `n` draws, spread over the placements, with docs/verify_draw.py against the commitment
/// published before anyone applied, from the record `GET /v1/placements/{id}/draw` serves.
pub fn verify_sample(store: &DbStore, placements: &[Uuid], n: usize) {
    if n == 0 || placements.is_empty() {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/verify_draw.py");
    let dir = std::env::temp_dir().join(format!("wex-national-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let step = (placements.len() / n).max(1);
    let mut checked = 0;
    for id in placements.iter().step_by(step).take(n) {
        let placement = store.placement(*id).unwrap();
        let commitment = placement.draw_commitment.clone().expect("published with a commitment");
        let record = DrawRecordResponse::new(&placement, store.draw(*id).unwrap());
        let path = dir.join(format!("{id}.json"));
        std::fs::File::create(&path).unwrap().write_all(&serde_json::to_vec(&record).unwrap()).unwrap();
        let out = Command::new("python3")
            .arg(script)
            .arg(id.to_string())
            .arg(&path)
            .args(["--commitment", &commitment])
            .output()
            .expect("python3 runs docs/verify_draw.py");
        assert!(
            out.status.success(),
            "verify_draw.py refused the draw of {id}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!("- docs/verify_draw.py accepted all {checked} draws checked (one in {step})");
}
