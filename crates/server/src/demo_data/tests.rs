//! The demo file parses, and every entry in it passes the domain's own checks, whatever the day it is
//! loaded on. (Loading it through the use cases, on both databases, is tested in tests/cli.rs.)

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;
use wex_domain::model::equality;
use wex_domain::model::placement::PlacementDetails;
use wex_domain::model::profile::age_on;
use wex_domain::model::reference::{Delivery, PlacementKind, Region, Specialty};

use super::file::{Dates, DemoFile, DemoOrganisation, DemoPlacement, at, days_from};
use super::setup;

type Checked = Result<(), String>;

/// Just after midnight, late evening, a Sunday and the real clock: dates must work from any of them.
fn times() -> Vec<DateTime<Utc>> {
    let fixed =
        [1_798_761_660, 1_815_778_740, 1_806_836_400].into_iter().filter_map(|s| DateTime::from_timestamp(s, 0));
    fixed.chain([wex_domain::now()]).collect()
}

fn fail(what: impl std::fmt::Display) -> String {
    what.to_string()
}

/// The placement's details as the loader would send them (with stand-in ids), checked.
fn details(p: &DemoPlacement, dates: &Dates) -> Result<PlacementDetails, String> {
    let stand_in = |name: &Option<String>| name.as_ref().map(|_| Uuid::now_v7());
    p.details(dates, stand_in(&p.site), stand_in(&p.department))?
        .checked()
        .map_err(|e| fail(format!("{}: {e:?}", p.key)))
}

fn check_organisation(org: &DemoOrganisation) -> Checked {
    org.organisation.clone().checked().map_err(|e| fail(format!("{}: {e:?}", org.key)))?;
    let mut sites = BTreeSet::new();
    for site in &org.sites {
        site.clone().checked().map_err(|e| fail(format!("{}: {e:?}", site.name)))?;
        assert!(sites.insert(site.name.as_str()), "{}: two sites called {}", org.key, site.name);
    }
    let mut departments = BTreeSet::new();
    for d in &org.departments {
        d.department.clone().checked().map_err(|e| fail(format!("{}: {e:?}", d.department.name)))?;
        assert!(d.department.site_id.is_none(), "{}: name the site instead", d.department.name);
        assert!(d.site.as_deref().is_none_or(|s| sites.contains(s)), "{}: unknown site", d.department.name);
        assert!(departments.insert(d.department.name.as_str()), "{}: two departments", d.department.name);
    }
    for p in &org.placements {
        assert!(p.site.as_deref().is_none_or(|s| sites.contains(s)), "{}: unknown site", p.key);
        assert!(p.department.as_deref().is_none_or(|d| departments.contains(d)), "{}: unknown department", p.key);
    }
    Ok(())
}

#[test]
fn every_entry_passes_the_domain_checks_on_any_day() -> Checked {
    let demo = DemoFile::parse()?;
    for now in times() {
        let today = now.date_naive();
        let mut keys = BTreeMap::new();
        let mut counts = BTreeMap::<&str, usize>::new();
        for org in &demo.organisations {
            check_organisation(org)?;
            for p in &org.placements {
                let dates = p.when.dates(today)?;
                let d = details(p, &dates)?;
                assert_eq!(d.site_id.is_none(), d.delivery == Delivery::Online, "{}: a site unless online", p.key);
                let (_, published) = setup::times(&dates, p.publish, now);
                let kind = match (published, &p.history) {
                    (Some(at), history) => {
                        assert_eq!(d.publishing_errors(at), vec![], "{} at {now}", p.key);
                        match history {
                            Some(_) => "past",
                            None if dates.opens_at <= now && now < dates.closes_at => "open",
                            None => "upcoming",
                        }
                    }
                    (None, Some(_)) => panic!("{}: a placement with a history was published", p.key),
                    // Incomplete drafts really are incomplete; a complete one could be published.
                    (None, None) if d.publishing_errors(now).is_empty() => "complete draft",
                    (None, None) => "incomplete draft",
                };
                *counts.entry(kind).or_default() += 1;
                if let Some(history) = &p.history {
                    // The round ends with the participants' feedback two days after the last day.
                    assert!(days_from(dates.end_date, 3)? <= today, "{}: its history must be over", p.key);
                    assert!(!history.hosts.is_empty(), "{}: someone records attendance", p.key);
                    let places = usize::try_from(d.capacity).map_err(fail)?;
                    assert!(history.participant_feedback.len() + history.no_shows <= places, "{}", p.key);
                }
                assert!(keys.insert(p.key.as_str(), (dates, d)).is_none(), "two placements are {}", p.key);
            }
        }
        let expected = [("complete draft", 1), ("incomplete draft", 3), ("open", 29), ("past", 6), ("upcoming", 4)];
        assert_eq!(counts, expected.into_iter().collect(), "at {now}");
        check_applicants(&demo, &keys, now)?;
    }
    Ok(())
}

fn check_applicants(
    demo: &DemoFile,
    placements: &BTreeMap<&str, (Dates, PlacementDetails)>,
    now: DateTime<Utc>,
) -> Checked {
    let today = now.date_naive();
    let mut subjects = BTreeSet::new();
    for a in &demo.applicants {
        assert!(subjects.insert(a.subject.as_str()), "two applicants are {}", a.subject);
        assert!((150..=280).contains(&a.birthday_days_ago), "{}: see DemoApplicant::age", a.subject);
        let registered = at(days_from(today, a.registered_in_days)?, 9, 0)?;
        let input = a.profile_input(today)?;
        let born = input.date_of_birth;
        input.checked(registered.date_naive()).map_err(|e| fail(format!("{}: {e:?}", a.subject)))?;
        assert_eq!(age_on(born, registered.date_naive()), a.age, "{}", a.subject);
        if let Some(answers) = &a.equality {
            equality::check(answers, a.age).map_err(|e| fail(format!("{}: {e:?}", a.subject)))?;
        }
        for app in &a.applications {
            let (dates, _) = placements.get(app.placement.as_str()).ok_or_else(|| fail(&app.placement))?;
            assert!(registered.date_naive() < dates.opens_at.date_naive(), "{} registers after applying", a.subject);
            // Eligibility is by age on the start date: the applicant is the same age then.
            assert_eq!(age_on(born, dates.start_date), a.age, "{} on {}", a.subject, app.placement);
            app.request()?;
        }
    }
    Ok(())
}

#[test]
fn every_question_of_the_equality_form_is_answered_by_someone() -> Checked {
    let demo = DemoFile::parse()?;
    for q in equality::QUESTIONS {
        let answered = demo.applicants.iter().filter_map(|a| a.equality.as_ref()).filter(|e| e.contains_key(q.code));
        assert!(answered.count() >= 20, "{}", q.code);
    }
    Ok(())
}

#[test]
fn current_placements_cover_every_specialty_kind_delivery_and_region() -> Checked {
    let demo = DemoFile::parse()?;
    let today = wex_domain::now().date_naive();
    let mut published = Vec::new();
    for org in &demo.organisations {
        for p in org.placements.iter().filter(|p| p.publish && p.history.is_none()) {
            published.push((org.organisation.region, details(p, &p.when.dates(today)?)?));
        }
    }
    let regions: BTreeSet<Region> = published.iter().map(|(r, _)| *r).collect();
    let specialties: BTreeSet<Specialty> = published.iter().map(|(_, d)| d.specialty).collect();
    let kinds: BTreeSet<PlacementKind> = published.iter().map(|(_, d)| d.kind).collect();
    let deliveries: BTreeSet<Delivery> = published.iter().map(|(_, d)| d.delivery).collect();
    assert_eq!(regions.len(), Region::ALL.len());
    assert_eq!(specialties.len(), Specialty::ALL.len());
    assert_eq!(kinds.len(), PlacementKind::ALL.len());
    assert_eq!(deliveries.len(), Delivery::ALL.len());
    // Work experience is never paid, and only the academy promises anything about a job.
    assert!(published.iter().all(|(_, d)| !d.preparation.paid));
    assert_eq!(published.iter().filter(|(_, d)| d.preparation.leads_to_job == Some(true)).count(), 1);
    Ok(())
}

#[test]
fn ods_codes_and_organisation_keys_are_unique() -> Checked {
    let demo = DemoFile::parse()?;
    let codes: Vec<_> = demo.organisations.iter().filter_map(|o| o.organisation.ods_code.clone()).collect();
    assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), codes.len());
    let keys: BTreeSet<_> = demo.organisations.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys.len(), demo.organisations.len());
    Ok(())
}
