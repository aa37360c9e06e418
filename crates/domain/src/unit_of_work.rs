//! Typed helpers over the store's unit of work: a use case runs its reads in one session and its
//! writes in one transaction, and returns its own value.

use crate::error::{DomainError, StoreError};
use crate::ports::{Store, Work};

/// Runs `f` with every store call on one connection.
pub fn read<T>(store: &dyn Store, f: impl FnOnce(&dyn Store) -> Result<T, DomainError>) -> Result<T, DomainError> {
    once(|work| store.session(work), f)
}

/// Runs `f` in one transaction: all its writes are stored if it returns `Ok`, none otherwise.
pub fn write<T>(store: &dyn Store, f: impl FnOnce(&dyn Store) -> Result<T, DomainError>) -> Result<T, DomainError> {
    once(|work| store.atomically(work), f)
}

/// Hands `f` to `run` as the store's `Work` (a `FnMut` returning nothing) and gives back `f`'s value.
fn once<T>(
    run: impl FnOnce(Work<'_>) -> Result<(), DomainError>,
    f: impl FnOnce(&dyn Store) -> Result<T, DomainError>,
) -> Result<T, DomainError> {
    let mut f = Some(f);
    let mut out = None;
    run(&mut |s| {
        let f = f.take().ok_or_else(ran_twice)?;
        out = Some(f(s)?);
        Ok(())
    })?;
    out.ok_or_else(ran_twice)
}

/// The store runs a unit of work exactly once; anything else is a defect in the store.
fn ran_twice() -> DomainError {
    DomainError::Store(StoreError::Internal("a unit of work did not run exactly once".to_string()))
}
