//! Typed helpers over the store's unit of work: a use case runs its reads in one session and its
//! writes in one transaction, and returns its own value.

use crate::error::{DomainError, StoreError};
use crate::ports::Store;

/// Runs `f` with every store call on one connection.
pub fn read<T>(store: &dyn Store, f: impl FnOnce(&dyn Store) -> Result<T, DomainError>) -> Result<T, DomainError> {
    let mut f = Some(f);
    let mut out = None;
    store.session(&mut |s| {
        let f = f.take().ok_or_else(ran_twice)?;
        out = Some(f(s)?);
        Ok(())
    })?;
    out.ok_or_else(ran_twice)
}

/// Runs `f` in one transaction: all its writes are stored if it returns `Ok`, none otherwise.
pub fn write<T>(store: &dyn Store, f: impl FnOnce(&dyn Store) -> Result<T, DomainError>) -> Result<T, DomainError> {
    let mut f = Some(f);
    let mut out = None;
    store.atomically(&mut |s| {
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
