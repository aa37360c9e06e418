//! How the statuses people see map back onto stored rows. A placement's status depends on the
//! time as well as on its stored status ([`Placement::status_at`]), so a store asked for the
//! placements showing a status cannot compare one column: these forms are the inverse of
//! `status_at` and `is_open_at`, which the store translates into its query (tested against both
//! below, so the two cannot drift).

use crate::model::placement::Placement;
use crate::model::reference::PlacementStatus;

/// Where a stored moment (opening or closing time) stands relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Either way.
    Any,
    /// Still to come: the moment is after now.
    Ahead,
    /// Reached: the moment is now or before.
    Reached,
}

/// One kind of stored row that shows a status now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredForm {
    pub status: PlacementStatus,
    pub opens: Moment,
    pub closes: Moment,
    /// Whether the row must have been published (`published_at` set).
    pub published: bool,
}

impl StoredForm {
    const fn stored(status: PlacementStatus) -> Self {
        StoredForm { status, opens: Moment::Any, closes: Moment::Any, published: status.needs_publication() }
    }
}

impl PlacementStatus {
    /// The rows listed under this status now: those whose [`Placement::status_at`] is this status,
    /// and, for every status but draft, only those ever published ([`Placement::is_public`]): a
    /// draft cancelled before publication was never public and is listed nowhere.
    pub fn stored_forms(self) -> Vec<StoredForm> {
        match self {
            // Published until the closing time, closed from it.
            PlacementStatus::Published => {
                vec![StoredForm { closes: Moment::Ahead, ..StoredForm::stored(PlacementStatus::Published) }]
            }
            PlacementStatus::Closed => vec![
                StoredForm::stored(PlacementStatus::Closed),
                StoredForm { closes: Moment::Reached, ..StoredForm::stored(PlacementStatus::Published) },
            ],
            other => vec![StoredForm::stored(other)],
        }
    }

    /// Whether a placement is listed with this status only once it has been published.
    const fn needs_publication(self) -> bool {
        !matches!(self, PlacementStatus::Draft)
    }
}

/// The rows open for applications now ([`Placement::is_open_at`]).
pub const OPEN_NOW: StoredForm =
    StoredForm { status: PlacementStatus::Published, opens: Moment::Reached, closes: Moment::Ahead, published: true };

impl Moment {
    fn holds(self, at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> bool {
        match self {
            Moment::Any => true,
            Moment::Ahead => at > now,
            Moment::Reached => at <= now,
        }
    }
}

impl StoredForm {
    /// Whether a stored placement has this form at `now`: what the store's query must select.
    pub fn matches(&self, p: &Placement, now: chrono::DateTime<chrono::Utc>) -> bool {
        p.status == self.status
            && self.opens.holds(p.details.opens_at, now)
            && self.closes.holds(p.details.closes_at, now)
            && (!self.published || p.published_at.is_some())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::model::placement::tests::details;

    /// Every stored status, before opening, while open and after closing, published or not.
    fn rows() -> Vec<(Placement, chrono::DateTime<Utc>)> {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).single().unwrap_or_default();
        let mut out = Vec::new();
        for status in PlacementStatus::ALL {
            for (opens, closes) in [(1, 2), (-1, 1), (-2, -1), (-1, 0), (0, 1)] {
                for published in [true, false] {
                    let mut p = Placement::draft(uuid::Uuid::nil(), uuid::Uuid::nil(), details(), now);
                    p.status = *status;
                    p.details.opens_at = now + Duration::days(opens);
                    p.details.closes_at = now + Duration::days(closes);
                    p.published_at = published.then_some(now - Duration::days(3));
                    out.push((p, now));
                }
            }
        }
        out
    }

    #[test]
    fn the_stored_forms_of_a_status_are_exactly_the_rows_showing_it() {
        for status in PlacementStatus::ALL {
            for (p, now) in rows() {
                let listed = p.status_at(now) == *status && (*status == PlacementStatus::Draft || p.is_public());
                let matched = status.stored_forms().iter().any(|f| f.matches(&p, now));
                assert_eq!(matched, listed, "{status:?} against {:?} at {now}", p.status);
            }
        }
    }

    #[test]
    fn the_open_form_is_exactly_the_rows_open_for_applications() {
        for (p, now) in rows() {
            let open = p.is_open_at(now) && p.is_public();
            assert_eq!(OPEN_NOW.matches(&p, now), open, "{:?} {:?}", p.status, p.details);
        }
    }
}
