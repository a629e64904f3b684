//! What a form reloads on: successful saves only. A page that reloads what it edits after every
//! completed action would put the stored values back into the form after a failed save, and the
//! error would sit next to a value the user never typed. Keyed on this instead, a failed save
//! leaves the form as typed, with the error beside it.

use crate::model::AppError;
use leptos::prelude::*;

/// Counts the completed runs of an action up to its latest success: unchanged by a failure.
pub fn successful_saves<T, R, V>(result: R, version: V) -> Memo<usize>
where
    T: Send + Sync + 'static,
    R: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    V: Get<Value = usize> + Send + Sync + 'static,
{
    Memo::new(move |previous: Option<&usize>| {
        let completed = version.get();
        let failed = result.with(|r| matches!(r, Some(Err(_))));
        match previous {
            Some(&last) if failed => last,
            _ => completed,
        }
    })
}
