//! Every template, in both its variants: plain words (no API paths, no ids), a link, the right
//! variant for the applicant's age, and the adult words for the support worker.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::model::advocacy::{Relationship, pending_link};
use crate::model::application::{Application, ApplicationStatus, Stage, Submitter};
use crate::model::auth::Role;
use crate::model::email::EmailAddress;
use crate::model::offer::{Offer, OfferStatus};
use crate::model::participation::Certificate;
use crate::model::placement::Placement;
use crate::model::placement::tests::details;
use crate::model::profile::{ProfileInput, SupportWorker};

const APPLICANT: &str = "applicant@example.org";
const WORKER: &str = "worker@example.org";
const LEADER: &str = "leader@school.example";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 4, 20, 9, 0, 0).single().unwrap()
}

/// A profile whose holder turns `age` today (the day [`now`] falls on), with a support worker.
fn profile(age: i32) -> Profile {
    let born = NaiveDate::from_ymd_opt(2027 - age, 4, 20).unwrap();
    profile_born(born)
}

fn profile_born(born: NaiveDate) -> Profile {
    Profile {
        id: Uuid::now_v7(),
        subject: Some("applicant-1".into()),
        input: ProfileInput {
            preferred_name: Some("Sam Example".into()),
            email: EmailAddress::parse(APPLICANT).unwrap(),
            phone: None,
            date_of_birth: born,
            postcode: None,
            no_fixed_address: true,
            user_groups: vec![],
            care_experienced: None,
            adjustments: None,
            preferred_language: None,
            support_worker: Some(SupportWorker {
                name: "Robin Helper".into(),
                email: EmailAddress::parse(WORKER).unwrap(),
                organisation: Some("Youth Trust".into()),
            }),
        },
        managed_by: None,
        consent: None,
        version: 1,
        created_at: now(),
        updated_at: now(),
    }
}

fn placement() -> Placement {
    Placement::draft(Uuid::now_v7(), Uuid::now_v7(), details(), now())
}

fn application(profile: &Profile, placement: &Placement, role: Role) -> Application {
    Application {
        id: Uuid::now_v7(),
        placement_id: placement.id,
        profile_id: profile.id,
        status: ApplicationStatus::Submitted,
        ticket: Uuid::new_v4(),
        privacy_notice_version: "2026-11-29".to_string(),
        submitted_by: Submitter { subject: "someone".to_string(), role },
        answers: Vec::new(),
        can_travel: None,
        in_catchment: None,
        outcome_expected_by: placement.details.outcome_by,
        outcome_at: None,
        draw_tier: None,
        draw_position: None,
        meets_criteria: None,
        applicant_age: 15,
        stage_recorded: Stage::Applied,
        version: 1,
        created_at: now(),
        updated_at: now(),
    }
}

fn offer(app: &Application) -> Offer {
    Offer {
        id: Uuid::now_v7(),
        application_id: app.id,
        placement_id: app.placement_id,
        status: OfferStatus::Open,
        respond_by: now() + Duration::days(5),
        created_at: now(),
        responded_at: None,
        version: 1,
    }
}

/// Every message about an application, as sent to this profile's applicant and support worker.
fn every_application_message(profile: &Profile) -> Vec<(Application, Vec<Notification>)> {
    let placement = placement();
    let app = || application(profile, &placement, Role::Applicant);
    let with = |app: Application, told: Vec<Notification>| (app, told);
    let certificate = |app: &Application| Certificate {
        code: "WEX-7K3M-Q9TP".into(),
        application_id: app.id,
        placement_id: placement.id,
        initials: "S.E.".into(),
        issued_at: now(),
        t_level_hours: None,
    };
    let n = now();
    // A careers leader acts for every applicant here, so their copies are checked too.
    let leader = [LEADER.to_string()];
    let to = Audience { profile, advocates: &leader };
    let mut out = Vec::new();
    for role in [Role::Applicant, Role::Advocate] {
        let a = application(profile, &placement, role);
        let told = applying::submitted_notifications(&a, &placement, to, None, n);
        out.push(with(a, told));
    }
    let a = app();
    out.push(with(a.clone(), applying::withdrawn(&a, to, &placement, n)));
    let a = app();
    out.push(with(a.clone(), offers::offer_messages(&a, to, &placement, &offer(&a), n)));
    let a = app();
    out.push(with(a.clone(), offers::waitlisted(&a, to, &placement, 3, 4, n)));
    for why in [offers::NoPlace::NotEntered, offers::NoPlace::ListClosed] {
        let a = app();
        out.push(with(a.clone(), offers::unsuccessful(&a, to, &placement, why, n)));
    }
    for accepted in [true, false] {
        let a = app();
        out.push(with(a.clone(), answers::answered(&a, to, &placement, accepted, n)));
    }
    let a = app();
    out.push(with(a.clone(), answers::expired(&a, to, &placement, n)));
    let a = app();
    out.push(with(a.clone(), ending::cancelled(&a, to, &placement, n)));
    let a = app();
    out.push(with(a.clone(), vec![ending::feedback_request(profile, &placement, &certificate(&a), n)]));
    for tomorrow in [true, false] {
        let a = app();
        out.push(with(a.clone(), reminders::starting(&a, &placement, to, tomorrow, n)));
    }
    let a = app();
    out.push(with(a.clone(), reminders::offer_ending(&a, &offer(&a), &placement, to, n)));
    out
}

/// A UUID written anywhere in `text`.
fn has_uuid(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-')).any(|word| Uuid::parse_str(word).is_ok())
}

/// Plain words: no API paths, HTTP verbs, ids or names, and a link to act on.
#[track_caller]
fn assert_plain(message: &Notification, ticket: Option<Uuid>) {
    let (subject, body) = (&message.subject, &message.body);
    // The draw ticket is the one id allowed: applicants check the published draw with it.
    let body = ticket.map_or_else(|| body.clone(), |t| body.replace(&t.to_string(), "TICKET"));
    for words in [subject.as_str(), body.as_str()] {
        assert!(!words.contains("/v1/"), "{:?}: {words}", message.template);
        assert!(!has_uuid(words), "{:?}: {words}", message.template);
        for jargon in ["POST ", "GET ", "PUT ", "DELETE ", "PATCH ", "endpoint", "API", "invitation {"] {
            assert!(!words.contains(jargon), "{:?} says {jargon:?}: {words}", message.template);
        }
        for name in ["Sam", "Example", "Robin", "Helper", "Youth Trust"] {
            assert!(!words.contains(name), "{:?} names {name}: {words}", message.template);
        }
    }
    let link = message.link.as_deref().unwrap_or_else(|| panic!("{:?} has no link", message.template));
    assert!(link.starts_with('/') && !link.starts_with("/v1/"), "{link}");
}

fn applicants_copy(told: &[Notification]) -> &Notification {
    told.iter().find(|n| n.recipient == APPLICANT).unwrap()
}

#[test]
fn every_application_message_is_plain_and_links_to_the_application() {
    for age in [14, 15, 16, 17, 25] {
        let profile = profile(age);
        let all = every_application_message(&profile);
        assert_eq!(all.len(), 15);
        for (app, told) in &all {
            for message in told {
                assert_plain(message, Some(app.ticket));
                if message.template != Template::SupportWorkerNamed {
                    assert_eq!(message.link.as_deref(), Some(application_page(app.id).as_str()));
                }
                assert_eq!(message.application_id, Some(app.id));
            }
            let own = applicants_copy(told);
            assert_eq!(own.profile_id, Some(profile.id), "{:?}: the applicant's own copy is marked", own.template);
            assert!(told.iter().filter(|n| n.recipient != APPLICANT).all(|n| n.profile_id.is_none()));
            // Every step reaches the advocate acting for them, but the certificate is the participant's own.
            let to_leader = told.iter().any(|n| n.recipient == LEADER);
            assert_eq!(to_leader, own.template != Template::FeedbackRequest, "{:?}", own.template);
        }
    }
}

#[test]
fn every_template_has_two_variants_and_all_are_plain() {
    let placement = placement();
    let profile = profile(15);
    let app = application(&profile, &placement, Role::Applicant);
    let offer = offer(&app);
    let certificate = Certificate {
        code: "WEX-7K3M-Q9TP".into(),
        application_id: app.id,
        placement_id: placement.id,
        initials: "S.E.".into(),
        issued_at: now(),
        t_level_hours: None,
    };
    let texts = [
        applying::received_text(&app, &placement),
        applying::withdrawn_text(&placement),
        offers::offer_text(&placement, &offer),
        offers::waitlisted_text(&placement, 2, 4),
        offers::unsuccessful_text(&placement, offers::NoPlace::NotEntered),
        offers::unsuccessful_text(&placement, offers::NoPlace::ListClosed),
        answers::confirmed_text(&placement),
        answers::declined_text(&placement),
        answers::expired_text(&placement),
        ending::cancelled_text(&placement),
        ending::feedback_text(&placement, &certificate),
        reminders::starting_text(&placement, true),
        reminders::starting_text(&placement, false),
        reminders::offer_ending_text(&placement, &offer),
    ];
    for text in &texts {
        assert_ne!(text.adult.body, text.young.body, "an under-16 variant of {:?}", text.adult.subject);
        for words in [&text.adult, &text.young] {
            let message = Notification::new(
                APPLICANT,
                Template::OfferMade,
                words.subject.clone(),
                words.body.clone(),
                None,
                now(),
            )
            .linking(application_page(app.id));
            assert_plain(&message, Some(app.ticket));
        }
        // Written for a young person: who to ask, in short sentences.
        let young = &text.young.body;
        assert!(young.contains("parent") || young.contains("carer"), "{young}");
        let words = young.split_whitespace().count();
        let sentences = young.matches(['.', '!', '?']).count().max(1);
        assert!(words / sentences <= 20, "short sentences for under-16s: {young}");
    }
}

#[test]
fn under_16s_get_their_own_words_and_the_worker_the_adult_ones() {
    let placement = placement();
    for (age, young) in [(14, true), (15, true), (16, false), (17, false), (40, false)] {
        let profile = profile(age);
        let app = application(&profile, &placement, Role::Applicant);
        let text = offers::offer_text(&placement, &offer(&app));
        let told = tell(Audience::alone(&profile), Template::OfferMade, &text, app.id, now());
        assert_eq!(told.len(), 2);
        let expected = if young { &text.young } else { &text.adult };
        assert_eq!(applicants_copy(&told).body, expected.body, "aged {age}");
        let worker = told.iter().find(|n| n.recipient == WORKER).unwrap();
        assert_eq!(worker.body, text.adult.body, "the worker's copy is the adult one (applicant aged {age})");
    }
}

#[test]
fn the_16th_birthday_is_the_day_the_adult_words_start() {
    let placement = placement();
    let day_before = profile_born(NaiveDate::from_ymd_opt(2011, 4, 21).unwrap());
    let birthday = profile_born(NaiveDate::from_ymd_opt(2011, 4, 20).unwrap());
    assert!(is_young(&day_before, now()));
    assert!(!is_young(&birthday, now()));
    let app = application(&birthday, &placement, Role::Applicant);
    let text = answers::expired_text(&placement);
    assert_eq!(to_applicant(&birthday, Template::OfferExpired, &text, app.id, now()).body, text.adult.body);
    assert_eq!(to_applicant(&day_before, Template::OfferExpired, &text, app.id, now()).body, text.young.body);
}

#[test]
fn the_invitation_carries_the_code_and_links_to_its_page() {
    let profile = profile(15);
    for relationship in [Relationship::CareersLeader, Relationship::Other] {
        let (link, code) = pending_link(profile.id, "advocate@example.org", relationship, now()).unwrap();
        let message = advocacy::invitation(&link, &code, now());
        assert_eq!(message.recipient, "advocate@example.org");
        assert_eq!(message.template, Template::AdvocateInvitation);
        assert!(message.body.contains(&format!("Your code is {code}.")), "{}", message.body);
        assert_eq!(message.link.as_deref(), Some(advocate_link_page(link.id).as_str()));
        assert_eq!(message.profile_id, None, "not the applicant's own address");
        assert_plain(&message, None);
    }
}

#[test]
fn a_support_worker_with_an_invitation_is_pointed_at_it() {
    let placement = placement();
    let profile = profile(15);
    let app = application(&profile, &placement, Role::Applicant);
    let (link, code) = pending_link(profile.id, WORKER, Relationship::SupportWorker, now()).unwrap();
    let told =
        applying::submitted_notifications(&app, &placement, Audience::alone(&profile), Some((&link, &code)), now());
    let worker = told.iter().find(|n| n.template == Template::SupportWorkerNamed).unwrap();
    assert_eq!(worker.recipient, WORKER);
    assert!(worker.body.contains(&format!("Your code is {code}.")), "{}", worker.body);
    assert_eq!(worker.link.as_deref(), Some(advocate_link_page(link.id).as_str()));
    assert_plain(worker, None);
    let own = applicants_copy(&told);
    assert_eq!(own.body, applying::received_text(&app, &placement).young.body);
    assert!(own.body.contains(&app.ticket.to_string()), "the ticket, to check the draw with");
    assert!(!own.body.contains(&code), "the worker's code goes to the worker alone");
}

#[test]
fn advocates_acting_for_the_applicant_get_the_adult_words_once_each() {
    let placement = placement();
    let profile = profile(14);
    let app = application(&profile, &placement, Role::Applicant);
    let text = offers::offer_text(&placement, &offer(&app));
    // The careers leader, and the support worker again in another case: one copy each.
    let advocates = Advocates::from_pairs(vec![
        (profile.id, LEADER.to_string()),
        (profile.id, WORKER.to_ascii_uppercase()),
        (Uuid::now_v7(), "someone-elses@example.org".to_string()),
    ]);
    let told = tell(advocates.audience(&profile), Template::OfferMade, &text, app.id, now());
    let recipients: Vec<&str> = told.iter().map(|n| n.recipient.as_str()).collect();
    assert_eq!(recipients, [APPLICANT, WORKER, LEADER]);
    let leader = &told[2];
    assert_eq!(
        (leader.subject.as_str(), leader.body.as_str()),
        (text.adult.subject.as_str(), text.adult.body.as_str())
    );
    assert_eq!(leader.link.as_deref(), Some(application_page(app.id).as_str()));
    assert_eq!(leader.profile_id, None, "an advocate's failing address is not the applicant's");
    assert_plain(leader, Some(app.ticket));
    // The receipt of a new application reaches them too, beside the support worker's own words.
    let submitted = applying::submitted_notifications(&app, &placement, advocates.audience(&profile), None, now());
    let leader = submitted.iter().find(|n| n.recipient == LEADER).unwrap();
    assert_eq!(leader.template, Template::ApplicationReceived);
    assert_eq!(leader.body, applying::received_text(&app, &placement).adult.body);
}
