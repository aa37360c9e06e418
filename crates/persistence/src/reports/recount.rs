//! Keeping the report counters true around a write: the one entry point every write that changes
//! what a report would count goes through, in the write's transaction.

use crate::connection::DbConnection;

use super::counters::{Scope, apply, lock};
use super::delta;

/// Runs `change` with the scope's applications taken out of the counters as they were before it
/// and counted in as they are after it, in the caller's transaction.
///
/// Where `change` only updates the scope's application rows (an application's or placements'
/// scope), the counters move by the difference, in one statement after it, from the rows as they
/// were, read (and locked) before it ([`delta`]): a draw's two recounts were a third of the
/// database's time in a national cycle. Otherwise (a profile's answers change what its
/// applications are counted by) they are taken out before and counted in after.
pub(crate) fn recount<T, E: From<diesel::result::Error>>(
    c: &mut DbConnection,
    scope: Scope,
    change: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    if matches!(scope, Scope::Application(_) | Scope::Placements(_)) {
        let was = delta::lock_and_read(c, scope)?;
        let out = change(c)?;
        delta::shift(c, &was, scope.prepared())?;
        return Ok(out);
    }
    lock(c, scope)?;
    apply(c, scope, "-")?;
    let out = change(c)?;
    apply(c, scope, "")?;
    Ok(out)
}
