//! Typed helpers over the store's unit of work: a use case runs its reads in one session and its
//! writes in one transaction, and returns its own value or its own error type (any error a store
//! failure converts into), which passes through the store untouched.

use crate::error::{DomainError, StoreError};
use crate::model::audit::Stamp;
use crate::ports::{Store, Work};

/// Runs `f` with every store call on one connection.
pub fn read<T, E: From<StoreError>>(store: &dyn Store, f: impl FnOnce(&dyn Store) -> Result<T, E>) -> Result<T, E> {
    once(|work| store.session(work), f)
}

/// Runs `f` in one transaction: all its writes are stored if it returns `Ok`, none otherwise.
pub fn write<T, E: From<StoreError>>(store: &dyn Store, f: impl FnOnce(&dyn Store) -> Result<T, E>) -> Result<T, E> {
    once(|work| store.atomically(work), f)
}

/// Runs `f` with every store call on one connection and every audit entry it records stamped
/// with the request (and, for an API client's request, every event too attributed to the client).
pub fn stamped<T, E: From<StoreError>>(
    store: &dyn Store,
    stamp: &Stamp,
    f: impl FnOnce(&dyn Store) -> Result<T, E>,
) -> Result<T, E> {
    once(|work| store.stamped(stamp, work), f)
}

/// Hands `f` to `run` as the store's `Work` (a `FnMut` returning nothing) and gives back `f`'s
/// value, or `f`'s own error: the store only learns that the work failed (so that it rolls back),
/// and the typed error waits outside it.
fn once<T, E: From<StoreError>>(
    run: impl FnOnce(Work<'_>) -> Result<(), DomainError>,
    f: impl FnOnce(&dyn Store) -> Result<T, E>,
) -> Result<T, E> {
    let mut f = Some(f);
    let mut out = None;
    let ran = run(&mut |s| {
        let f = f.take().ok_or_else(ran_twice)?;
        let result = f(s);
        let failed = result.is_err();
        out = Some(result);
        if failed {
            Err(DomainError::Store(StoreError::Internal("the unit of work failed".to_string())))
        } else {
            Ok(())
        }
    });
    match (out, ran) {
        (Some(Err(e)), _) => Err(e),
        (Some(Ok(value)), Ok(())) => Ok(value),
        // The work succeeded but the store did not (a failed commit), or the work never ran.
        (_, Err(e)) => Err(store_failure(e).into()),
        (None, Ok(())) => Err(ran_twice_store().into()),
    }
}

/// What the store itself failed with (checking out a connection, beginning, committing), as the
/// store error it was before the store reported it as a `DomainError`.
fn store_failure(e: DomainError) -> StoreError {
    match e {
        DomainError::Store(e) => e,
        DomainError::NotFound => StoreError::NotFound,
        DomainError::PreconditionFailed => StoreError::VersionConflict,
        other => StoreError::Internal(other.to_string()),
    }
}

/// The store runs a unit of work exactly once; anything else is a defect in the store.
fn ran_twice() -> DomainError {
    DomainError::Store(ran_twice_store())
}

fn ran_twice_store() -> StoreError {
    StoreError::Internal("a unit of work did not run exactly once".to_string())
}
